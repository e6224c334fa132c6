/**
 * SourceRuns: what integration workers share about the built-in sources they run — who runs each
 * (an expiring lease, renewed while its worker lives), where each left off, and which external
 * items each has posted (so that no restart or takeover posts one twice). The status the API shows
 * is read back through SourceStore.runStatus.
 */

/** What a worker needs to know before a run. */
export interface SourceRunState {
  /** The kind's own bookmark (an RSS feed's ETag and Last-Modified). */
  cursor: Record<string, unknown> | null;
  failures: number;
  /** Null until a run succeeds: the next run is the source's first (core of the first-run rule). */
  lastSuccessAt: Date | null;
  nextRunAt: Date | null;
}

/** How a run ended. */
export interface RunOutcome {
  /** The poll succeeded (an item refused on its own is still a success, shown in `error`). */
  ok: boolean;
  error: string | null;
  failures: number;
  nextRunAt: Date;
  /** Kept as it was when absent (a failed run leaves the bookmark alone). */
  cursor?: Record<string, unknown> | null;
}

/** Where a long-running source (a session kind: the IRC bridge) stands, written as it changes. */
export interface SessionProgress {
  /** Connected and relaying (counts as a success in the status). */
  ok: boolean;
  error: string | null;
  /** Failed attempts since it was last ok. */
  failures: number;
  /** The kind's bookmark, what a worker taking the source over resumes from; null keeps the stored one. */
  cursor: Record<string, unknown> | null;
  /** Items posted into the flow since the last write. */
  postedDelta: number;
  /** When it tries again, while it is backing off after a failure (shown as the next run); null otherwise. */
  nextRunAt: Date | null;
}

export interface SourceRuns {
  /** Takes or renews the source for `holder` for `ttlMs`; false while another holder's lease is unexpired. */
  claim(sourceId: number, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the source up at once (a clean stop), if `holder` has it. */
  release(sourceId: number, holder: string): Promise<void>;
  state(sourceId: number): Promise<SourceRunState | null>;
  /** Which of `externalIds` the source already posted (or skipped on its first run). */
  seen(sourceId: number, externalIds: readonly string[]): Promise<Set<string>>;
  /** Records items as handled without posting them (the back catalogue of a first run). */
  markSeen(sourceId: number, externalIds: readonly string[]): Promise<void>;
  /** Records one posted item and counts it, once however often it is called. */
  recordPosted(sourceId: number, externalId: string): Promise<void>;
  recordRun(sourceId: number, outcome: RunOutcome): Promise<void>;
  /**
   * Records a session's progress, only while `holder` holds the source's lease: a worker that lost
   * the source (stalled past its lease) cannot move the cursor back under the new holder. False when fenced off.
   */
  recordSession(sourceId: number, holder: string, progress: SessionProgress): Promise<boolean>;
}
