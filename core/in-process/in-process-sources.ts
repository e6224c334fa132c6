/** The in-process SourceStore the InProcessDirectory exposes: sources in a Map, tokens by hash. */
import type { NewSource, Source, SourceChanges, SourceRunStatus } from '../domain/source';
import { notFound } from '../errors';
import type { SourceByToken, SourceStore } from '../ports/source-store';

const copy = (s: Source): Source => ({ ...s, config: s.config ? structuredClone(s.config) : null });

export class InProcessSources implements SourceStore {
  private nextId = 1;
  private readonly byId = new Map<number, { source: Source; tokenHash: string }>();

  /** `exists` is the directory's own check that the flow and the creator exist, as Postgres' foreign keys do. */
  constructor(private readonly exists: (flowId: string, userId: number) => Promise<boolean>) {}

  async createSource(input: NewSource, tokenHash: string): Promise<Source> {
    if (!(await this.exists(input.flowId, input.creatorId))) throw notFound('flow or creator');
    if ([...this.byId.values()].some((row) => row.tokenHash === tokenHash)) throw new Error('duplicate flow token hash');
    const now = new Date();
    const source: Source = {
      id: this.nextId++, flowId: input.flowId, creatorId: input.creatorId, name: input.name, externalUrl: input.externalUrl,
      errorMessage: null, configurationUrl: null, type: input.type ?? null, config: input.config ? structuredClone(input.config) : null, createdAt: now, updatedAt: now, deletedAt: null,
    };
    this.byId.set(source.id, { source, tokenHash });
    return copy(source);
  }

  async sourcesOfFlows(flowIds: readonly string[]): Promise<Source[]> {
    const wanted = new Set(flowIds);
    return [...this.byId.values()].filter(({ source }) => !source.deletedAt && source.flowId !== null && wanted.has(source.flowId)).map(({ source }) => copy(source));
  }

  async sourceOfFlow(flowId: string, id: number): Promise<Source | null> {
    const source = this.live(id);
    return source && source.flowId === flowId ? copy(source) : null;
  }

  async sourceByTokenHash(tokenHash: string): Promise<SourceByToken | null> {
    for (const row of this.byId.values()) if (row.tokenHash === tokenHash) return { source: copy(row.source), tokenHash };
    return null;
  }

  async updateSource(id: number, changes: SourceChanges): Promise<Source> {
    const source = this.live(id);
    if (!source) throw notFound('source');
    if ('errorMessage' in changes) source.errorMessage = changes.errorMessage ?? null;
    if ('configurationUrl' in changes) source.configurationUrl = changes.configurationUrl ?? null;
    source.updatedAt = new Date();
    return copy(source);
  }

  async builtInSources(): Promise<Source[]> {
    return [...this.byId.values()].filter(({ source }) => !source.deletedAt && source.type !== null && source.flowId !== null).map(({ source }) => copy(source));
  }

  /** No integration worker runs on the in-process parts (they need Postgres' leases): never run. */
  async runStatus(_id: number): Promise<SourceRunStatus | null> {
    return null;
  }

  async deleteSource(id: number): Promise<boolean> {
    const source = this.live(id);
    if (!source) return false;
    source.deletedAt = source.updatedAt = new Date();
    return true;
  }

  private live(id: number): Source | null {
    const source = this.byId.get(id)?.source;
    return source && !source.deletedAt ? source : null;
  }
}
