/**
 * The `imap` kind: reads new mail from a mailbox over IMAP (imapflow) and turns each into an inbox
 * item (mail-post.ts). A mail is known by UIDVALIDITY and UID; the cursor keeps both, so each poll
 * fetches only UIDs above the last one, at most MAX_PER_POLL at a time (a mail bomb is read in
 * batches, oldest first). When there is no cursor yet, or the mailbox's UIDVALIDITY changed (it was
 * recreated: every UID is new), only the newest FIRST_RUN_ITEMS are read — the first-run rule. The
 * post's uuid derives from the Message-ID, so a mail seen again under a new UIDVALIDITY is the same post.
 */
import type { ImapFlow, MessageEnvelopeObject } from 'imapflow';
import { toStorable } from '../../core/storable-text';
import { DEFAULT_IMAP_INTERVAL_S, type ImapConfig } from '../../core/integrations/imap-config';
import type { PollInput, PollResult, SourceItem, SourceRunner } from '../source-runner';
import { FIRST_RUN_ITEMS } from '../worker/run-source';
import { imapClient } from './imap-client';
import { watchMailbox } from './imap-idle';
import { mailPost } from './mail-post';
import { type InboundMail, type MailLimits, parseMail } from './parse-mail';

/** Mails read in one poll at most; the rest wait for the next poll (which comes at once when IDLE says more arrived). */
export const MAX_PER_POLL = 100;

/** A type, not an interface: it must fit the worker's Record<string, unknown> cursor. UIDVALIDITY is a BigInt in imapflow, kept as a string. */
type ImapCursor = { uidValidity: string; lastUid: number };

export interface ImapLimits extends MailLimits {
  /** MAIL_MAX_BYTES: a larger mail is not downloaded; the status says so. */
  maxBytes: number;
}

const uidOf = (item: SourceItem): number => Number(item.externalId.split(':')[1]);

/** What is posted for a mail too large to fetch: its sender and subject, and where to read it. */
function tooLargeItem(externalId: string, envelope: MessageEnvelopeObject | undefined, size: number, maxBytes: number): SourceItem {
  const from = envelope?.from?.[0];
  const mail: InboundMail = {
    messageId: envelope?.messageId || externalId,
    threadKey: envelope?.inReplyTo || envelope?.messageId || externalId,
    from: { address: toStorable(from?.address || 'unknown@invalid').slice(0, 320), name: from?.name ? toStorable(from.name).slice(0, 200) : null },
    subject: toStorable(envelope?.subject?.trim() || '(no subject)').slice(0, 1000),
    text: '',
    files: [],
    notes: [`This mail (${size} bytes) is larger than ${maxBytes} bytes (MAIL_MAX_BYTES): it was not fetched. Read it in the mailbox.`],
  };
  return { externalId, uuidKey: mail.messageId, publishedAt: envelope?.date ? new Date(envelope.date) : null, post: mailPost(mail) };
}

/** Which UIDs to read now, of those in the mailbox from the cursor on (ascending). */
function toRead(uids: number[], fresh: boolean): number[] {
  return fresh ? uids.slice(-FIRST_RUN_ITEMS) : uids.slice(0, MAX_PER_POLL);
}

async function readNew(client: ImapFlow, config: ImapConfig, cursor: ImapCursor | null, limits: ImapLimits): Promise<PollResult> {
  const box = await client.mailboxOpen(config.mailbox ?? 'INBOX', { readOnly: true });
  const uidValidity = String(box.uidValidity);
  const fresh = cursor?.uidValidity !== uidValidity;
  const from = fresh ? 1 : cursor!.lastUid + 1;
  const sizes = new Map<number, number>();
  if (box.exists > 0) {
    // `N:*` always names the last mail, even below N: hence the filter.
    for await (const m of client.fetch(`${from}:*`, { uid: true, size: true }, { uid: true })) if (m.uid >= from) sizes.set(m.uid, m.size ?? 0);
  }
  const all = [...sizes.keys()].sort((a, b) => a - b);
  const reading = toRead(all, fresh);
  const lastUid = Math.max(fresh ? (all.at(-1) ?? 0) : cursor!.lastUid, reading.at(-1) ?? 0);
  const problems: string[] = [];
  const items: SourceItem[] = [];
  const wanted: number[] = [];
  for (const uid of reading) {
    const size = sizes.get(uid)!;
    if (size <= limits.maxBytes) {
      wanted.push(uid);
      continue;
    }
    problems.push(`mail UID ${uid} (${size} bytes) was not fetched: larger than ${limits.maxBytes} bytes (MAIL_MAX_BYTES)`);
    // The flow still learns that it came, from its envelope alone.
    const head = await client.fetchOne(String(uid), { uid: true, envelope: true }, { uid: true });
    if (head) items.push(tooLargeItem(`${uidValidity}:${uid}`, head.envelope, size, limits.maxBytes));
  }
  // One FETCH for the batch (a mail expunged since the listing is simply not in the answer).
  const fetched = wanted.length ? await client.fetchAll(wanted.join(','), { uid: true, source: true, internalDate: true }, { uid: true }) : [];
  for (const m of fetched.sort((a, b) => a.uid - b.uid)) {
    if (!m.source) continue;
    try {
      const mail = await parseMail(m.source, limits);
      items.push({ externalId: `${uidValidity}:${m.uid}`, uuidKey: mail.messageId, publishedAt: m.internalDate ? new Date(m.internalDate) : null, post: mailPost(mail), files: mail.files });
    } catch (err) {
      problems.push(`mail UID ${m.uid} was skipped: it could not be parsed (${(err as Error).message})`);
    }
  }
  // Newest first, by UID: the mailbox's own order of arrival.
  items.sort((a, b) => uidOf(b) - uidOf(a));
  return { items, cursor: { uidValidity, lastUid }, problems };
}

export function imapRunner(limits: ImapLimits): SourceRunner {
  return {
    intervalS: (config) => (config as ImapConfig).interval_s ?? DEFAULT_IMAP_INTERVAL_S,
    watch: watchMailbox,

    poll({ config, cursor, outbound }: PollInput): Promise<PollResult> {
      const imap = config as ImapConfig;
      return outbound.connect(imap.host, async (target, timeoutMs) => {
        const client = imapClient(imap, target, timeoutMs);
        // A connection dropped mid-poll fails the poll; the error event must not go unhandled.
        client.on('error', () => {});
        await client.connect();
        try {
          return await readNew(client, imap, cursor as ImapCursor | null, limits);
        } finally {
          await client.logout().catch(() => client.close());
        }
      });
    },
  };
}
