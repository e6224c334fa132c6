/**
 * A throwaway Dovecot for the IMAP sources' tests, brought up by the project's own dovecot cookbook
 * on a free port in a temp dir (as ngircd.ts does for IRC), with one mailbox user per name asked for,
 * and an imapflow client to put mail into those mailboxes as another mail server would.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { converge, killByPidFiles } from '../../chef-like-provisioning/cookbooks/testing/converge';
import { freePorts } from './failover-servers';

export const MAILBOX_PASSWORD = 'secret';

export interface TestDovecot {
  port: number;
  /** A logged-in client of `user`'s mailbox; the caller logs out. */
  client(user: string): Promise<ImapFlow>;
  /** Appends each raw mail to `user`'s `mailbox`, in order. */
  deliver(user: string, mails: readonly (string | Buffer)[], mailbox?: string): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

export async function startDovecot(users: readonly string[]): Promise<TestDovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'trib-dovecot-'));
  // mkdtemp makes it 0700; Dovecot's auth process (user dovecot) and mail (nobody) must get through.
  chmodSync(dir, 0o755);
  const [port] = await freePorts(1);
  const dataDir = join(dir, 'dovecot');
  await converge(['dovecot'], { dovecot: { port: port!, dataDir, users: users.map((name) => ({ name, password: MAILBOX_PASSWORD })) } });
  const server: TestDovecot = {
    port: port!,
    async client(user) {
      const c = new ImapFlow({ host: '127.0.0.1', port: port!, secure: false, auth: { user, pass: MAILBOX_PASSWORD }, logger: false, disableAutoIdle: true });
      await c.connect();
      return c;
    },
    async deliver(user, mails, mailbox = 'INBOX') {
      const c = await server.client(user);
      try {
        for (const m of mails) await c.append(mailbox, m);
      } finally {
        await c.logout();
      }
    },
    async remove() {
      await killByPidFiles([join(dataDir, 'dovecot.pid')]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A small well-formed mail. */
export function rawMail(n: number, extra: { subject?: string; headers?: string[]; body?: string } = {}): string {
  return [`From: Sender ${n} <sender${n}@outside.test>`, `Subject: ${extra.subject ?? `mail ${n}`}`, `Message-ID: <m${n}@outside.test>`, ...(extra.headers ?? []), 'Content-Type: text/plain; charset=utf-8', '', extra.body ?? `body ${n}`, ''].join('\r\n');
}
