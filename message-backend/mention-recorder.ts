/**
 * MentionRecorder: once a batch is stored, and before its queue entries are released, records who
 * its messages mention (core/mail/mentioned-users.ts) for the mention mails. A failure here fails
 * the batch like a store failure: its entries are read again, the store answers them as retries,
 * and recording again is harmless (one notice per flow, message and user).
 */
import type { MessageJson } from '../core/domain/types';
import { mentionOf } from '../core/mail/mentioned-users';
import type { MentionNotices, MentionRecord } from '../core/ports/mention-notices';

export class MentionRecorder {
  constructor(private readonly notices: MentionNotices, private readonly quietMs: number) {}

  async recordStored(events: readonly MessageJson[]): Promise<void> {
    const mentions = events.map(mentionOf).filter((m): m is MentionRecord => m !== null);
    if (mentions.length) await this.notices.record(mentions, this.quietMs);
  }
}
