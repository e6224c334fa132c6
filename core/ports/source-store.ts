/**
 * SourceStore: the integration sources of flows (spec §2.8) and their hashed flow tokens. The
 * store never sees a token, only its hash (core/auth/flow-tokens.ts), and never decides who may
 * see a source: callers come through the access gate. Every implementation passes
 * core/contracts/directory-sources.contract.ts.
 */
import type { NewSource, Source, SourceChanges, SourceRunStatus } from '../domain/source';

/** A source found by its token's hash, deleted ones included (their token answers 410). */
export interface SourceByToken {
  source: Source;
  tokenHash: string;
}

export interface SourceStore {
  /** Throws NOT_FOUND when the flow or the creator does not exist. */
  createSource(input: NewSource, tokenHash: string): Promise<Source>;
  /** The live (not deleted) sources of these flows, by id. */
  sourcesOfFlows(flowIds: readonly string[]): Promise<Source[]>;
  /** The live source `id` of the flow; null when it is another flow's, deleted or unknown. */
  sourceOfFlow(flowId: string, id: number): Promise<Source | null>;
  sourceByTokenHash(tokenHash: string): Promise<SourceByToken | null>;
  /** Changes the fields given (and `updated_at`); throws NOT_FOUND for a deleted or unknown source. */
  updateSource(id: number, changes: SourceChanges): Promise<Source>;
  /** Every live built-in source (a `type`, a flow): what integration workers may claim. */
  builtInSources(): Promise<Source[]>;
  /** Its worker's status; null before its first run (and for push sources). */
  runStatus(id: number): Promise<SourceRunStatus | null>;
  /** Marks it deleted (its token then answers 410); false when it already was, or never existed. */
  deleteSource(id: number): Promise<boolean>;
}
