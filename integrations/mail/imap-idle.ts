/**
 * The watch of an `imap` source: one more connection to the mailbox, kept in IDLE (imapflow's
 * auto-IDLE; on a server without IDLE, imapflow sends NOOP now and then instead), that wakes the
 * worker when the mailbox reports new mail (`EXISTS`), so new mail is posted within about a second
 * instead of at the next poll. It never reads or posts mail itself: the poll does, with its cursor.
 * When the connection fails or drops it tries again after a pause; polling goes on meanwhile.
 */
import type { ImapFlow } from 'imapflow';
import type { ImapConfig } from '../../core/integrations/imap-config';
import type { SourceWatch, WatchInput } from '../source-runner';
import { imapClient } from './imap-client';

/** Pause before connecting again after the watch's connection failed or dropped. */
export const RECONNECT_MS = 5000;
/** IDLE is broken and restarted this often: within any server's and NAT's patience (RFC 2177: under 29 minutes) and imapflow's 5-minute socket timeout. */
const IDLE_RESTART_MS = 4 * 60_000;

export function watchMailbox({ config, outbound, wake, onTrouble }: WatchInput): SourceWatch {
  const imap = config as ImapConfig;
  let stopped = false;
  let client: ImapFlow | null = null;
  let retry: NodeJS.Timeout | null = null;

  const again = (err: unknown): void => {
    client = null;
    if (stopped) return;
    onTrouble(err);
    retry = setTimeout(() => void open(), RECONNECT_MS);
  };

  async function open(): Promise<void> {
    try {
      const c = await outbound.connect(imap.host, async (target, timeoutMs) => {
        const fresh = imapClient(imap, target, timeoutMs, { maxIdleTime: IDLE_RESTART_MS });
        fresh.on('error', () => {}); // the close that follows is what counts
        await fresh.connect();
        return fresh;
      });
      if (stopped) return void (await c.logout().catch(() => c.close()));
      client = c;
      c.on('exists', () => wake());
      c.on('close', () => again(new Error('the IDLE connection closed')));
      await c.mailboxOpen(imap.mailbox ?? 'INBOX', { readOnly: true });
      // Mail that came while the watch was down is picked up by this poll.
      wake();
    } catch (err) {
      again(err);
    }
  }

  void open();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.logout().catch(() => c.close());
    },
  };
}
