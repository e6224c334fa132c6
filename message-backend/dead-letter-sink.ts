/** Sets aside a queue entry the store cannot take: keeps it as a dead letter, counts it, logs it, and tells its poster. */
import type { Log } from '../core/log';
import { type QueueCommand, replyHead } from '../core/messaging/commands';
import type { Metrics } from '../core/metrics';
import type { QueueEntry, WorkQueue } from '../core/ports/work-queue';
import type { Publisher } from './publisher';

export class DeadLetterSink {
  constructor(private readonly deps: { queue: WorkQueue; publisher: Publisher; metrics: Metrics; log: Log }) {}

  /**
   * Keeps the entry among the dead letters (the caller releases it from the shard afterwards).
   * `command` is the parsed entry, or null when the payload could not be read as one.
   */
  async keep(shard: number, entry: QueueEntry, command: QueueCommand | null, error: string, attempts: number): Promise<void> {
    const letter = await this.deps.queue.deadLetter(shard, entry, { error, attempts });
    this.deps.metrics.deadLettered.inc({ shard: String(shard) });
    this.deps.metrics.deadLettersHeld.inc();
    // One line per entry, for an SRE to find it; never the content (it may be large or private).
    this.deps.log.error(
      { shard, deadLetter: letter.id, uuid: command?.uuid, conversation: command?.conversation, kind: command?.kind, error, attempts },
      'queue entry could not be saved; moved to the dead letters',
    );
  }

  /** Answers the poster, who may still be waiting: a clear error now beats a 503 after the persist timeout. */
  async tellPoster(command: QueueCommand): Promise<void> {
    await this.deps.publisher.publish([], [{
      channel: command.replyTo,
      reply: {
        ...replyHead(command),
        error: { code: 'MESSAGE_NOT_SAVED', message: 'The message could not be saved and will not be retried; it was set aside for an operator' },
      },
    }]);
  }
}
