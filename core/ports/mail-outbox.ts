/**
 * MailOutbox: mail waiting to go out, kept in Postgres so that nothing is lost while the relay is
 * down (docs/adr/029-mail-notifications.md). Mails are enqueued by the stores whose change causes
 * them, in the same statement (InvitationStore.invite, MentionNotices.settle); senders claim and
 * settle them here. Postgres only (infra/postgres/mail/postgres-mail-outbox.ts).
 */
import type { OutgoingMail } from './mailer';

export interface QueuedMail {
  id: number;
  mail: OutgoingMail;
  /** Delivery attempts before this one. */
  attempts: number;
}

export interface MailOutbox {
  /** Enqueues one mail, due at once; its id. */
  enqueue(mail: OutgoingMail): Promise<number>;
  /**
   * Claims at most `limit` due mails for `leaseMs`: no other sender is handed them until the lease
   * ends (a sender that dies mid-delivery leaves them to the next one after it).
   */
  claimDue(limit: number, leaseMs: number): Promise<QueuedMail[]>;
  markSent(id: number): Promise<void>;
  /** Records a failed attempt; the mail is due again at `retryAt`, or, when null, failed for good. */
  markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  /** How many mails wait to be sent, and how many were given up on (for /metrics). */
  counts(): Promise<{ pending: number; failed: number }>;
}
