/**
 * What a built-in integration kind runs: one poll of one source. A kind is a small module (RSS
 * here; IRC, Twitter, IMAP beside it) registered in source-runners.ts; the worker around it
 * (worker/) does the rest the same way for every kind: leases, scheduling, backoff, the first-run
 * rule, deduplication and posting.
 */
import type { FilePart } from '../core/actions/attach-files';
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
  /** What the post's uuid derives from, when not `externalId`: a mail's Message-ID, so the same mail seen under a new UIDVALIDITY is the same post. */
  uuidKey?: string;
  /** Files to store through the blob store and attach to the post (a mail's attachments). */
  files?: FilePart[];
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
  /** What the poll had to leave out (a mail too large, one that would not parse): shown as the status's `last_error`, the run still a success. */
  problems?: string[];
}

export interface WatchInput {
  source: Source;
  /** The source's config, its secrets opened. */
  config: Record<string, unknown>;
  outbound: Outbound;
  /** Asks the worker to poll the source now rather than at its next run time. */
  wake(): void;
  /** Why the watch is down (it keeps trying; polling goes on meanwhile). */
  onTrouble(err: unknown): void;
}

export interface SourceWatch {
  stop(): Promise<void>;
}

export interface SourceRunner {
  /** Seconds between polls as the config asks (the worker raises it to SOURCE_MIN_INTERVAL_S). */
  intervalS(config: Record<string, unknown>): number;
  poll(input: PollInput): Promise<PollResult>;
  /**
   * For a kind the remote can tell about news (IMAP IDLE): kept running while the worker holds the
   * source, it calls `wake` on news, so the poll comes at once; polling on schedule stays the fallback.
   */
  watch?(input: WatchInput): SourceWatch;
}
