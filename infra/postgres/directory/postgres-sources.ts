/** The Postgres SourceStore the PostgresDirectory exposes: table `sources` (migration 019), tokens by hash. */
import type { Pool } from 'pg';
import type { NewSource, Source, SourceChanges, SourceRunStatus } from '../../../core/domain/source';
import { notFound } from '../../../core/errors';
import type { SourceByToken, SourceStore } from '../../../core/ports/source-store';

const COLUMNS = 'id, flow_id, creator_id, name, external_url, error_message, configuration_url, type, config, created_at, updated_at, deleted_at';

interface SourceRow {
  id: string;
  flow_id: string | null;
  creator_id: string | null;
  name: string;
  external_url: string | null;
  error_message: string | null;
  configuration_url: string | null;
  type: string | null;
  config: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const toSource = (r: SourceRow): Source => ({
  id: Number(r.id),
  flowId: r.flow_id,
  creatorId: r.creator_id === null ? null : Number(r.creator_id),
  name: r.name,
  externalUrl: r.external_url,
  errorMessage: r.error_message,
  configurationUrl: r.configuration_url,
  type: r.type,
  config: r.config,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

/** Foreign-key violation: the flow or the creator does not exist. */
const isMissingReference = (err: unknown): boolean => (err as { code?: string } | null)?.code === '23503';

export class PostgresSources implements SourceStore {
  constructor(private readonly pool: Pool) {}

  async createSource(input: NewSource, tokenHash: string): Promise<Source> {
    try {
      const { rows } = await this.pool.query<SourceRow>(
        `INSERT INTO sources (flow_id, creator_id, name, external_url, token_hash, type, config) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [input.flowId, input.creatorId, input.name, input.externalUrl, tokenHash, input.type ?? null, input.config ?? null],
      );
      return toSource(rows[0]!);
    } catch (err) {
      if (isMissingReference(err)) throw notFound('flow or creator');
      throw err;
    }
  }

  async sourcesOfFlows(flowIds: readonly string[]): Promise<Source[]> {
    if (!flowIds.length) return [];
    const { rows } = await this.pool.query<SourceRow>(
      `SELECT ${COLUMNS} FROM sources WHERE flow_id = ANY($1::text[]) AND deleted_at IS NULL ORDER BY id`,
      [flowIds],
    );
    return rows.map(toSource);
  }

  async sourceOfFlow(flowId: string, id: number): Promise<Source | null> {
    const { rows } = await this.pool.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE id = $1 AND flow_id = $2 AND deleted_at IS NULL`, [id, flowId]);
    return rows[0] ? toSource(rows[0]) : null;
  }

  async sourceByTokenHash(tokenHash: string): Promise<SourceByToken | null> {
    const { rows } = await this.pool.query<SourceRow & { token_hash: string }>(`SELECT ${COLUMNS}, token_hash FROM sources WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? { source: toSource(rows[0]), tokenHash: rows[0].token_hash } : null;
  }

  async updateSource(id: number, changes: SourceChanges): Promise<Source> {
    // COALESCE-free: each field is set only when given, so that "" and null can both clear it.
    const { rows } = await this.pool.query<SourceRow>(
      `UPDATE sources SET
         error_message = CASE WHEN $2 THEN $3 ELSE error_message END,
         configuration_url = CASE WHEN $4 THEN $5 ELSE configuration_url END,
         updated_at = now()
       WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [id, 'errorMessage' in changes, changes.errorMessage ?? null, 'configurationUrl' in changes, changes.configurationUrl ?? null],
    );
    if (!rows[0]) throw notFound('source');
    return toSource(rows[0]);
  }

  async builtInSources(): Promise<Source[]> {
    const { rows } = await this.pool.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE type IS NOT NULL AND flow_id IS NOT NULL AND deleted_at IS NULL ORDER BY id`);
    return rows.map(toSource);
  }

  async runStatus(id: number): Promise<SourceRunStatus | null> {
    // Written by the integration workers (infra/postgres/postgres-source-runs.ts, migration 010).
    const { rows } = await this.pool.query<{ last_run_at: Date | null; last_success_at: Date | null; last_error: string | null; next_run_at: Date | null; items_posted: string; failures: number }>(
      'SELECT last_run_at, last_success_at, last_error, next_run_at, items_posted, failures FROM source_runs WHERE source_id = $1',
      [id],
    );
    const r = rows[0];
    return r ? { lastRunAt: r.last_run_at, lastSuccessAt: r.last_success_at, lastError: r.last_error, nextRunAt: r.next_run_at, itemsPosted: Number(r.items_posted), failures: r.failures } : null;
  }

  async deleteSource(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE sources SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL', [id]);
    return rowCount === 1;
  }
}
