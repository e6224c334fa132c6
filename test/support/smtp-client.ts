/** Talking SMTP to the receiver in tests: nodemailer for well-formed mail, a raw socket for what no mail library would send. */
import { connect, type Socket } from 'node:net';
import { createTransport, type Transporter } from 'nodemailer';

/** A nodemailer transport to 127.0.0.1:`port`, plain (the receiver has no TLS); `pool` keeps connections open for many mails. */
export function smtpTransport(port: number, pool = false): Transporter {
  return createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...(pool ? { pool: true, maxConnections: 4, maxMessages: Infinity } : {}) });
}

/** One SMTP conversation on a raw socket: each command's reply, in order. */
export class RawSmtp {
  private buffer = '';
  private waiting: ((line: string) => void) | null = null;
  private readonly replies: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      // A reply ends with a line "NNN text" (multi-line replies use "NNN-text" before it).
      for (let m = /^(\d{3}) [^\r\n]*\r\n/m.exec(this.buffer); m; m = /^(\d{3}) [^\r\n]*\r\n/m.exec(this.buffer)) {
        const end = m.index + m[0].length;
        const reply = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        const last = reply.trimEnd().split('\r\n').at(-1)!;
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(last);
        } else this.replies.push(last);
      }
    });
  }

  static async open(port: number): Promise<RawSmtp> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const smtp = new RawSmtp(socket);
    await smtp.next(); // the greeting
    return smtp;
  }

  private next(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Sends `line` (CRLF added) and returns the last line of its reply. */
  async command(line: string | Buffer): Promise<string> {
    this.socket.write(Buffer.concat([typeof line === 'string' ? Buffer.from(line, 'latin1') : line, Buffer.from('\r\n')]));
    return this.next();
  }

  /** MAIL, RCPT, DATA and the mail's bytes (dot-stuffed by the caller if needed); the reply to the final dot. */
  async send(from: string, to: string, mail: Buffer): Promise<string> {
    await this.command(`MAIL FROM:<${from}>`);
    const rcpt = await this.command(`RCPT TO:<${to}>`);
    if (!rcpt.startsWith('250')) return rcpt;
    await this.command('DATA');
    return this.command(Buffer.concat([mail, Buffer.from('\r\n.')]));
  }

  async close(): Promise<void> {
    await this.command('QUIT').catch(() => '');
    this.socket.destroy();
  }
}
