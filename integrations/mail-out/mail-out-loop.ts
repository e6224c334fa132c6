/**
 * The mail-out loop of an integration worker: every MAIL_POLL_S it settles the mentions that are
 * due (their mails go into the outbox) and then delivers the outbox's due mails. Several workers
 * may run it side by side: the stores hand each mail and each user's mentions to one of them.
 */
import type { Log } from '../../core/log';
import { TickLoop } from '../worker/tick-loop';
import type { MentionMailer } from './mention-mailer';
import type { OutboxSender } from './outbox-sender';

export class MailOutLoop {
  private readonly loop: TickLoop;

  constructor(
    private readonly parts: { sender: OutboxSender; mentions: MentionMailer | null; log: Log },
    pollMs: number,
  ) {
    this.loop = new TickLoop(() => this.tick(), () => pollMs, (err) => parts.log.warn({ err }, 'mail-out round failed; trying again'));
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the round in hand (the mail being delivered) and stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async tick(): Promise<void> {
    if (this.parts.mentions) await this.parts.mentions.settleDue();
    if (!this.loop.stopped) await this.parts.sender.sendDue();
  }
}
