/**
 * What a built-in integration kind runs: one poll of one source. A kind is a small module (RSS
 * here; IRC, Twitter, IMAP beside it) registered in source-runners.ts; the worker around it
 * (worker/) does the rest the same way for every kind: leases, scheduling, backoff, the first-run
 * rule, deduplication and posting.
 */
import type { Source } from '../core/domain/source';
import type { Outbound } from './outbound/source-outbound';

/** One item a source found, ready to post. */
export interface SourceItem {
  /** Stable across polls (an RSS guid or link): an item is posted once per source, ever. */
  externalId: string;
  /** Newest first is decided by this; null when the item has no date (document order then). */
  publishedAt: Date | null;
  /** A flow-token post body (`activity` or `discussion`, with `thread`), without `uuid`: the worker derives it. */
  post: Record<string, unknown>;
}

export interface PollInput {
  source: Source;
  /** The source's config, its secrets opened. */
  config: Record<string, unknown>;
  /** Where the last successful poll left off. */
  cursor: Record<string, unknown> | null;
  /** Every outbound call goes through this: address guard, timeout, size cap, the source's circuit breaker. */
  outbound: Outbound;
}

export interface PollResult {
  /** Newest first. */
  items: SourceItem[];
  /** Kept for the next poll. */
  cursor: Record<string, unknown> | null;
  /** The remote asks not to be called again before this (a rate limit used up): the next run waits for it. */
  notBefore?: Date;
}

/** A poll the remote refused for now (HTTP 429): a failure on the status, and no run before `until`. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly until: Date) {
    super(message);
  }
}

export interface SourceRunner {
  /** Seconds between polls as the config asks (the worker raises it to SOURCE_MIN_INTERVAL_S). */
  intervalS(config: Record<string, unknown>): number;
  poll(input: PollInput): Promise<PollResult>;
}
