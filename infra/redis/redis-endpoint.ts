/** RedisEndpoint: ioredis clients that follow a Redis master which can change (a failover) without a restart. */
import { createConnection, type Socket } from 'node:net';
import { AbstractConnector, Redis, type RedisOptions } from 'ioredis';
import type { HostPort } from '../../core/discovery/master-record';

/** Longest pause between reconnect attempts: after a move, a client waiting to retry tries the new master within this. */
const MAX_RETRY_DELAY_MS = 200;
/**
 * Reconnect attempts a queued command survives before it fails (about 7 s at the delays above):
 * longer than a failover, so commands issued meanwhile run on the new master, yet bounded, so
 * a master that never comes back turns into errors (503 at the edge) instead of hangs.
 */
const MAX_RETRIES_PER_REQUEST = 40;

/**
 * Holds the current master's address and creates ioredis clients whose every (re)connect goes to
 * it: ioredis's `Connector` option (kept by `duplicate()`) is a connector that reads the address
 * at connect time. `moveTo` destroys every open socket; ioredis then reconnects as after any
 * drop — to the new address — re-subscribes, and resends the commands that had no reply
 * (blocking reads included) or that waited in its offline queue. Destroying rather than ending
 * the sockets matters for a hung (SIGSTOPped) master, which would never acknowledge the close.
 */
export class RedisEndpoint {
  private target: HostPort;
  private readonly sockets = new Set<Socket>();
  private readonly Connector: RedisOptions['Connector'];

  constructor(initial: HostPort) {
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

  /** A new client that follows the endpoint. `options` may name the connection, but not its address. */
  client(options: Omit<RedisOptions, 'host' | 'port' | 'path' | 'Connector'> = {}): Redis {
    return new Redis({
      retryStrategy: (times) => Math.min(times * 50, MAX_RETRY_DELAY_MS),
      maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
      ...options,
      Connector: this.Connector,
    });
  }

  private open(): Socket {
    const socket = createConnection({ host: this.target.host, port: this.target.port });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
