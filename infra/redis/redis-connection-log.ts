/**
 * One story per process about its Redis connections, told as JSON log lines at a sane rate: a
 * line when the first connection fails, a reminder while any stays down, a line when all are back.
 */
import type { Redis } from 'ioredis';
import type { Log } from '../../core/log';
import type { RedisConnect } from './redis-client';

/** Longest silence while Redis stays unreachable: a long outage logs one reminder per interval, not one line per reconnect. */
const REMINDER_EVERY_MS = 30_000;

/** What the process's connections share: which are down now, since when, and how many errors each interval saw. */
class ConnectionStory {
  private readonly down = new Set<Redis>();
  private since = 0;
  private errors = 0;
  private lastLine = 0;

  constructor(
    private readonly log: Log,
    private readonly reminderEveryMs: number,
  ) {}

  clientOnError(client: Redis, error: Error): void {
    this.errors++;
    const now = Date.now();
    if (this.down.size === 0) {
      this.since = now;
      this.lastLine = now;
      this.errors = 1;
      this.log.warn({ err: error.message }, 'Redis unreachable; reconnecting (commands wait, then answer 503)');
    } else if (now - this.lastLine >= this.reminderEveryMs) {
      this.log.warn({ err: error.message, downForMs: now - this.since, errors: this.errors }, 'Redis still unreachable; reconnecting');
      this.lastLine = now;
      this.errors = 0;
    }
    this.down.add(client);
  }

  clientOnReady(client: Redis): void {
    if (!this.down.delete(client) || this.down.size > 0) return;
    this.log.info({ downForMs: Date.now() - this.since }, 'Redis reachable again');
  }

  /** A closed client no longer counts as down. */
  clientOnEnd(client: Redis): void {
    this.down.delete(client);
  }
}

/**
 * Wraps `connect` so that every client it opens reports to one story logged on `log`. The clients
 * keep their own error listener (see `quiet`): this one only tells.
 */
export function logConnections(connect: RedisConnect, log: Log, options: { reminderEveryMs?: number } = {}): RedisConnect {
  const story = new ConnectionStory(log, options.reminderEveryMs ?? REMINDER_EVERY_MS);
  return (connectionOptions) => {
    const client = connect(connectionOptions);
    client.on('error', (error: Error) => story.clientOnError(client, error));
    client.on('ready', () => story.clientOnReady(client));
    client.on('end', () => story.clientOnEnd(client));
    return client;
  };
}
