/**
 * What a built-in integration kind runs, in one of two shapes. A poll kind (RSS) fetches now and
 * then: the worker around it (worker/) does the rest the same way for every such kind — scheduling,
 * backoff, the first-run rule, deduplication and posting. A session kind (the IRC bridge) holds a
 * connection open for as long as its worker holds the source's lease, and reports its progress and
 * bookmark as it goes (worker/source-sessions.ts). Both are registered in source-runners.ts; leases
 * are the same for both.
 */
import type { FilePart } from '../core/actions/attach-files';
import type { PostDeps } from '../core/actions/submit-post';
import type { Source } from '../core/domain/source';
import type { Log } from '../core/log';
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
  /** The remote asks not to be called again before this (a rate limit used up): the next run waits for it. */
  notBefore?: Date;
}

/** A poll the remote refused for now (HTTP 429): a failure on the status, and no run before `until`. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly until: Date) {
    super(message);
  }
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

/** A poll kind. */
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

/** What a session reports as it goes (the worker stores it as the source's status and bookmark). */
export interface SessionReport {
  /** Connected and doing its job. */
  ok: boolean;
  error: string | null;
  /** Failed attempts (connections) since it was last ok. */
  failures: number;
  /** Where a worker taking the source over must resume; null keeps the stored one. */
  cursor: Record<string, unknown> | null;
  /** Items posted into the flow since the session started. */
  posted: number;
  /** When it tries again, while it is backing off after a failure; null otherwise. */
  nextRunAt: Date | null;
}

export interface SessionInput {
  source: Source;
  /** The source's config, its secrets opened. */
  config: Record<string, unknown>;
  /** The bookmark the last session of this source reported (on any worker); null for a new source. */
  cursor: Record<string, unknown> | null;
  /** The parts to post and read the flow through. */
  parts: PostDeps;
  /** Every connection goes through this (its `address`: the guard on the server's address). */
  outbound: Outbound;
  log: Log;
  /** Settles once this report (or a newer one) is written, or failed to be: the IRC bridge stores its cursor before sending on. */
  report(report: SessionReport): Promise<void>;
}

export interface SourceSession {
  /** Ends the session (its lease is gone, the source changed or the worker stops) and waits for what it has in hand. */
  stop(): Promise<void>;
}

/** A session kind: started when a worker wins the source's lease, stopped when it loses it. */
export interface SessionRunner {
  start(input: SessionInput): Promise<SourceSession>;
}

export type KindRunner = SourceRunner | SessionRunner;

export const isSessionRunner = (runner: KindRunner): runner is SessionRunner => 'start' in runner;
