/** IRC clients for tests: irc-framework (a real client library) and a raw socket, both recording every line the server sends. */
import { connect, type Socket } from 'node:net';
import { Client } from 'irc-framework';

export async function waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lines the server sent (without CRLF), in order; helpers to wait for one. */
class LineLog {
  readonly lines: string[] = [];
  closed = false;

  has(pattern: RegExp): string | undefined {
    return this.lines.find((l) => pattern.test(l));
  }
  all(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }
  line(pattern: RegExp, timeoutMs?: number): Promise<string> {
    return waitFor(() => this.has(pattern), `a line matching ${pattern} (got:\n${this.lines.slice(-15).join('\n')})`, timeoutMs);
  }
}

export interface IrcLogin {
  nick: string;
  password?: string;
  account?: { account: string; password: string };
  echo?: boolean;
}

/** irc-framework connected to the gateway; `registered` resolves on 001 (rejects if the link closes first). */
export class FrameworkClient extends LineLog {
  readonly client: Client;
  readonly registered: Promise<void>;

  constructor(port: number, login: IrcLogin) {
    super();
    this.client = new Client();
    this.client.on('raw', (event: { line: string; from_server: boolean }) => {
      if (event.from_server) this.lines.push(event.line.replace(/\r?\n$/, ''));
    });
    this.registered = new Promise((resolve, reject) => {
      this.client.on('registered', () => resolve());
      this.client.on('close', () => {
        this.closed = true;
        reject(new Error(`closed before registering:\n${this.lines.join('\n')}`));
      });
    });
    this.registered.catch(() => undefined);
    this.client.connect({ host: '127.0.0.1', port, nick: login.nick, username: login.nick, gecos: login.nick, password: login.password, account: login.account, auto_reconnect: false, enable_echomessage: login.echo ?? false });
  }

  quit(): void {
    if (!this.closed) this.client.quit('bye');
  }
}

/** A raw TCP client: sends exactly the bytes given. */
export class RawClient extends LineLog {
  readonly socket: Socket;
  private rest = '';

  constructor(port: number) {
    super();
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      const text = this.rest + chunk.toString('utf8');
      const parts = text.split('\r\n');
      this.rest = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }
}
