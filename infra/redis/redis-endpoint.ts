/** RedisEndpoint: ioredis clients that follow a Redis master which can change (a failover) without a restart. */
import { createConnection, type Socket } from 'node:net';
import { AbstractConnector, Redis, type RedisOptions } from 'ioredis';
import type { HostPort } from '../../core/discovery/master-record';
import { type ConnectionOptions, clientDefaults, DEFAULT_COMMAND_TIMEOUT_MS, quiet } from './redis-client';

/**
 * Holds the current master's address and creates ioredis clients whose every (re)connect goes to
 * it: ioredis's `Connector` option (kept by `duplicate()`) is a connector that reads the address
 * at connect time. `moveTo` destroys every open socket; ioredis then reconnects as after any
 * drop — to the new address — and resends the commands that had no reply (blocking reads
 * included) or that waited in its offline queue; the bus subscribes again (redis-bus.ts).
 * Destroying rather than ending the sockets matters for a hung (SIGSTOPped) master, which would
 * never acknowledge the close.
 */
export class RedisEndpoint {
  private target: HostPort;
  private readonly sockets = new Set<Socket>();
  private readonly Connector: RedisOptions['Connector'];

  constructor(
    initial: HostPort,
    private readonly commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ) {
    this.target = { ...initial };
    const endpoint = this;
    this.Connector = class EndpointConnector extends AbstractConnector {
      constructor(options: unknown) {
        // ioredis constructs connectors with the client's options; the base class wants only this one.
        super((options as RedisOptions).disconnectTimeout ?? 2000);
      }

      connect(): Promise<Socket> {
        this.connecting = true;
        // As ioredis's own StandaloneConnector: hand the socket over on the next tick, unless disconnected meanwhile.
        return new Promise((resolve, reject) => {
          process.nextTick(() => {
            if (!this.connecting) return reject(new Error('Connection is closed.'));
            const socket = endpoint.open();
            socket.once('error', (err) => (this.firstError = err));
            this.stream = socket;
            resolve(socket);
          });
        });
      }
    };
  }

  /** Where new connections go. */
  current(): HostPort {
    return { ...this.target };
  }

  /** Points every client at `target`, moving the open connections now. No-op when it is already the target. */
  moveTo(target: HostPort): boolean {
    if (target.host === this.target.host && target.port === this.target.port) return false;
    this.target = { ...target };
    for (const socket of this.sockets) socket.destroy();
    return true;
  }

  /** A new client that follows the endpoint, with the process's shared settings (redis-client.ts). */
  client(options: ConnectionOptions = {}): Redis {
    return quiet(new Redis({ ...clientDefaults(this.commandTimeoutMs), ...options, Connector: this.Connector }));
  }

  private open(): Socket {
    const socket = createConnection({ host: this.target.host, port: this.target.port });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
