/**
 * A tiny IRC server for the bridge's bad-server tests: it registers any client, echoes its JOIN,
 * records every line each connection sent, and lets the test write raw bytes (invalid UTF-8,
 * over-long lines) or drop a link at an exact point. ngircd cannot be made to misbehave on cue.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ScriptedLink {
  /** Lines this link sent us, without CRLF, decoded as UTF-8. */
  readonly received: string[];
  write(data: string | Buffer): void;
  /** Closes the link as a server that quits on a client does: ERROR, then FIN. */
  drop(reason: string): void;
  closed: boolean;
}

export class ScriptedIrcServer {
  readonly links: ScriptedLink[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  /** Called with each line a link sends, after it is recorded. */
  onLine: (link: ScriptedLink, line: string) => void = () => {};

  private constructor(readonly port: number, server: Server) {
    this.server = server;
  }

  static async start(): Promise<ScriptedIrcServer> {
    let self: ScriptedIrcServer | null = null;
    const server = createServer((socket) => self!.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new ScriptedIrcServer((server.address() as { port: number }).port, server);
    return self;
  }

  private accept(socket: Socket): void {
    let nick = '';
    let buffered = Buffer.alloc(0);
    const link: ScriptedLink = {
      received: [],
      closed: false,
      write: (data) => void socket.write(data),
      drop(reason) {
        socket.end(`ERROR :Closing link: ${reason}\r\n`);
      },
    };
    this.links.push(link);
    this.sockets.add(socket);
    socket.on('close', () => {
      link.closed = true;
      this.sockets.delete(socket);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.subarray(0, end).toString('utf8').replace(/\r$/, '');
        buffered = buffered.subarray(end + 1);
        if (link.closed) return;
        link.received.push(line);
        const [command, ...params] = line.split(' ');
        if (command === 'CAP' && params[0] === 'LS') link.write(':scripted CAP * LS :\r\n');
        if (command === 'NICK') nick = params[0]!;
        if (command === 'USER') link.write(`:scripted 001 ${nick} :Welcome\r\n:scripted 376 ${nick} :End of MOTD\r\n`);
        if (command === 'JOIN') link.write(`:${nick}!${nick}@bridge JOIN ${params[0]}\r\n`);
        if (command === 'PING') link.write(`:scripted PONG scripted :${params.slice(1).join(' ').replace(/^:/, '') || params[0]}\r\n`);
        this.onLine(link, line);
      }
    });
  }

  /** The PRIVMSG texts every link received for `channel`, in order. */
  privmsgs(channel: string): string[] {
    const prefix = `PRIVMSG ${channel} :`;
    return this.links.flatMap((l) => l.received.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length)));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
