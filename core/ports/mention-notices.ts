/**
 * MentionNotices: who was mentioned where and has not been told yet (docs/adr/029-mail-notifications.md).
 * The message backend records a notice per mentioned member once a message is stored; an
 * integration worker settles each user's notices after the quiet delay: one mail for all of them,
 * or skipped (read meanwhile, mails off, no longer a member), or postponed (active in the flow).
 * A notice is keyed by flow, message and user, so nothing is ever notified twice. Postgres only.
 */
import type { OutgoingMail } from './mailer';

/** The members one stored message mentions. */
export interface MentionRecord {
  flowId: string;
  messageId: number;
  userIds: readonly number[];
  /** The author, never notified of their own message; null for anonymous posts. */
  authorId: number | null;
}

export interface PendingMention {
  flowId: string;
  messageId: number;
  authorId: number | null;
  createdAt: Date;
  dueAt: Date;
}

/** What became of one user's pending mentions. Any left out of all three stay pending as they were. */
export interface MentionSettlement {
  /** The one mail for `mailed`, enqueued in the outbox with them; null when nothing is mailed. */
  mail: OutgoingMail | null;
  mailed: PendingMention[];
  skipped: { mention: PendingMention; why: string }[];
  postponed: { mention: PendingMention; until: Date }[];
}

export interface MentionNotices {
  /**
   * Records a notice per mentioned user who is an active member of the flow, not the author and
   * has mention mails on, due `quietMs` from now; a notice recorded before (a replayed batch) is
   * left as it is.
   */
  record(mentions: readonly MentionRecord[], quietMs: number): Promise<void>;
  /**
   * Settles the pending mentions of one user who has one due: `decide` is handed all of that
   * user's pending mentions (every flow), while no other worker can take them; what it returns is
   * written in one transaction with the mail. False when no user had a mention due.
   */
  settleNextDue(decide: (userId: number, pending: PendingMention[]) => Promise<MentionSettlement>): Promise<boolean>;
  /** Whether the user gets mention mails (on unless they turned them off). */
  mailsOn(userId: number): Promise<boolean>;
  setMailsOn(userId: number, on: boolean): Promise<void>;
}
