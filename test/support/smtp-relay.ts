/** A local SMTP relay (smtp-server) that keeps every mail it is given, for tests of mail out (SMTP_RELAY_URL). */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RelayedMail {
  from: string;
  to: string[];
  /** The raw message with quoted-printable soft breaks and escapes undone (good enough to find text and links). */
  text: string;
}

export interface SmtpRelay {
  url: string;
  mails: RelayedMail[];
  /** Resolves with the first mail to `to` (case-insensitive) that arrives, or is there already. */
  mailTo(to: string): Promise<RelayedMail>;
  close(): Promise<void>;
}

const unQuotedPrintable = (raw: string): string => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

export interface SmtpRelayOptions {
  /** Listen here (a relay started again where a stopped one was); default: any free port. */
  port?: number;
  /** Recipients refused for good (550 at RCPT), as a relay does for an address it will never take. */
  refuses?: (to: string) => boolean;
}

export async function startSmtpRelay(options: SmtpRelayOptions = {}): Promise<SmtpRelay> {
  const mails: RelayedMail[] = [];
  const waiting: { to: string; resolve: (m: RelayedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuses?.(address.address)) return callback(Object.assign(new Error(`no mailbox here for ${address.address}`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: RelayedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          text: unQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        };
        mails.push(mail);
        for (const w of waiting.filter((w) => mail.to.includes(w.to))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(mail);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    mailTo(to) {
      const lower = to.toLowerCase();
      const there = mails.find((m) => m.to.includes(lower));
      return there ? Promise.resolve(there) : new Promise((resolve) => waiting.push({ to: lower, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
