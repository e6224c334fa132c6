/** The IRC gateway: a TCP listener (and a TLS one when a certificate is configured) whose clients are streaming connections like any other. */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { StreamingContext } from '../streaming-context';
import { IrcClient } from './irc-client';
import type { IrcResumePoints } from '../../core/ports/irc-resume-points';
import { DEFAULT_IRC_OPTIONS, type IrcGatewayContext, type IrcGatewayOptions } from './irc-gateway-context';
import { IrcSession } from './irc-session';

export interface IrcListenOptions {
  host: string;
  /** Plain-text port (0: any free one). */
  port: number;
  /** TLS port with its PEM certificate chain and key; absent: no TLS listener. */
  tls?: { port: number; cert: Buffer; key: Buffer };
  options?: Partial<IrcGatewayOptions>;
  /** Where each user's IRC client left off: shared by the streaming nodes (Redis) so a reconnect resumes on any of them. */
  resumePoints: IrcResumePoints;
}

export interface IrcGateway {
  /** The ports actually bound (the plain one, and the TLS one if any). */
  readonly port: number;
  readonly tlsPort: number | null;
  /** Stops accepting; the open sessions' connections are closed by the streaming service with the rest. */
  close(): Promise<void>;
}

/** Binds; a port in use fails the start with the variable to change. */
async function listen(server: Server, host: string, port: number, variable: string): Promise<number> {
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${port} is already in use; set ${variable} to a free port`);
    throw error;
  }
  return (server.address() as AddressInfo).port;
}

export async function startIrcGateway(ctx: StreamingContext, listenOptions: IrcListenOptions): Promise<IrcGateway> {
  const gateway: IrcGatewayContext = { ctx, options: { ...DEFAULT_IRC_OPTIONS, ...listenOptions.options }, resumePoints: listenOptions.resumePoints };
  const sessions = new Set<IrcSession>();
  const accept = (socket: Socket): void => {
    if (ctx.closing) {
      socket.end('ERROR :Closing link: server shutting down\r\n');
      return;
    }
    const session = new IrcSession(gateway, socket, (s, user) => new IrcClient(s, user));
    sessions.add(session);
    socket.on('close', () => sessions.delete(session));
  };
  const servers: Server[] = [createServer(accept)];
  const port = await listen(servers[0]!, listenOptions.host, listenOptions.port, 'IRC_PORT');
  let tlsPort: number | null = null;
  if (listenOptions.tls) {
    const tlsServer = createTlsServer({ cert: listenOptions.tls.cert, key: listenOptions.tls.key }, accept);
    servers.push(tlsServer);
    tlsPort = await listen(tlsServer, listenOptions.host, listenOptions.tls.port, 'IRC_TLS_PORT').catch((error: unknown) => {
      servers[0]!.close();
      throw error;
    });
  }
  return {
    port,
    tlsPort,
    async close() {
      for (const session of sessions) session.close('server shutting down');
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
