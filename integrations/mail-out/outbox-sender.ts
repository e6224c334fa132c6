/**
 * OutboxSender: delivers the outbox's due mails through the Mailer. A mail the relay does not take
 * is tried again after an exponentially growing wait (MAIL_RETRY_MIN_S doubling up to
 * MAIL_RETRY_MAX_S); after MAIL_MAX_ATTEMPTS, or at once when the relay refuses it for good (a 5xx
 * reply: a recipient it will never accept), it is given up on: state `failed` with the error,
 * logged, and counted in tributary_mail_failed_total (docs/operations.md, "Mail out").
 */
import type { Log } from '../../core/log';
import type { Metrics } from '../../core/metrics';
import type { MailOutbox, QueuedMail } from '../../core/ports/mail-outbox';
import type { Mailer } from '../../core/ports/mailer';

export interface OutboxSenderSettings {
  retryMinMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How long a claimed mail is this sender's: longer than one delivery may take (nodemailer's own timeouts are minutes). */
  claimMs: number;
}

/** Mails claimed per round, delivered one after another: a relay is not to be flooded. */
const CLAIM_BATCH = 20;

/** The wait after `attempts` failed attempts. */
export function retryDelayMs(settings: Pick<OutboxSenderSettings, 'retryMinMs' | 'retryMaxMs'>, attempts: number): number {
  return Math.min(settings.retryMaxMs, settings.retryMinMs * 2 ** Math.max(0, attempts - 1));
}

/** A refusal no retry can change: the relay answered 5xx (an SMTP permanent failure) rather than being unreachable or 4xx. */
function refusedForGood(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export class OutboxSender {
  constructor(
    private readonly deps: { outbox: MailOutbox; mailer: Mailer; log: Log; metrics: Pick<Metrics, 'mailSent' | 'mailAttemptsFailed' | 'mailFailed' | 'mailOutbox'> },
    private readonly settings: OutboxSenderSettings,
  ) {}

  /** Delivers what is due now; how many mails it tried. */
  async sendDue(): Promise<number> {
    const due = await this.deps.outbox.claimDue(CLAIM_BATCH, this.settings.claimMs);
    for (const queued of due) await this.deliver(queued);
    const counts = await this.deps.outbox.counts();
    this.deps.metrics.mailOutbox.set({ state: 'pending' }, counts.pending);
    this.deps.metrics.mailOutbox.set({ state: 'failed' }, counts.failed);
    return due.length;
  }

  private async deliver({ id, mail, attempts }: QueuedMail): Promise<void> {
    try {
      await this.deps.mailer.send(mail);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const tried = attempts + 1;
      this.deps.metrics.mailAttemptsFailed.inc();
      if (tried >= this.settings.maxAttempts || refusedForGood(err)) {
        await this.deps.outbox.markAttemptFailed(id, error, null);
        this.deps.metrics.mailFailed.inc();
        this.deps.log.error({ mail: id, to: mail.to, attempts: tried, error }, 'mail given up on: the relay did not take it');
        return;
      }
      const retryAt = new Date(Date.now() + retryDelayMs(this.settings, tried));
      await this.deps.outbox.markAttemptFailed(id, error, retryAt);
      this.deps.log.warn({ mail: id, attempts: tried, retryAt, error }, 'mail not delivered; trying again later');
      return;
    }
    await this.deps.outbox.markSent(id);
    this.deps.metrics.mailSent.inc();
  }
}
