/** A source (spec §2.8): an integration that posts into one flow with its flow token. */

export interface Source {
  id: number;
  /**
   * The flow it posts into. Null once that flow is gone (no API deletes flows or organizations
   * today): its token then answers as the access gate does for a missing flow, 404.
   */
  flowId: string | null;
  name: string;
  externalUrl: string | null;
  /** Who created it; null once that user is gone. The source stays: it belongs to the flow. */
  creatorId: number | null;
  /** Shown to the flow's people while set (`PUT …/sources/:id {error_message}`; "" clears). */
  errorMessage: string | null;
  configurationUrl: string | null;
  /**
   * The built-in integration it is (`rss`, …: core/integrations/source-kinds.ts); null for a push
   * source. `config` is that integration's settings, its secret fields encrypted
   * (core/integrations/source-secrets.ts).
   */
  type: string | null;
  config: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set when deleted: the row stays so that its token answers 410 instead of 401. */
  deletedAt: Date | null;
}

/** What `POST /flows/:org/:flow/sources` stores (the token's hash is passed beside it). */
export interface NewSource {
  flowId: string;
  creatorId: number;
  name: string;
  externalUrl: string | null;
  /** A built-in integration's kind and its validated config (secrets already encrypted); absent for a push source. */
  type?: string | null;
  config?: Record<string, unknown> | null;
}

/** The two fields a source's owner or the source itself may change (spec §2.8). */
export interface SourceChanges {
  errorMessage?: string | null;
  configurationUrl?: string | null;
}

/** How a built-in source's worker is doing (issue 12, point 3): what `GET …/sources/:id` shows as `status`. */
export interface SourceRunStatus {
  lastRunAt: Date | null;
  /** The last run that ended without an error. */
  lastSuccessAt: Date | null;
  /** Why the last run failed; null once a run succeeds. */
  lastError: string | null;
  nextRunAt: Date | null;
  itemsPosted: number;
  /** Runs failed in a row: the backoff grows with it. */
  failures: number;
}
