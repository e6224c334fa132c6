/**
 * SourceRuns on Postgres (migration 010): leases as rows with an expiry — unlike the shard leases'
 * session locks, a source may be run by any process with a pool, and a lease that is not renewed
 * lapses by itself, so a worker that hangs (not only one that dies) loses its sources.
 */
import type { Pool } from 'pg';
import type { RunOutcome, SessionProgress, SourceRunState, SourceRuns } from '../../core/ports/source-runs';

export class PostgresSourceRuns implements SourceRuns {
  constructor(private readonly pool: Pool) {}

  async claim(sourceId: number, holder: string, ttlMs: number): Promise<boolean> {
    // Takes a free or lapsed lease, or renews our own; the WHERE makes it one atomic decision.
    const { rowCount } = await this.pool.query(
      `INSERT INTO source_leases (source_id, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (source_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE source_leases.holder = EXCLUDED.holder OR source_leases.expires_at < now()`,
      [sourceId, holder, ttlMs],
    );
    return rowCount === 1;
  }

  async release(sourceId: number, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM source_leases WHERE source_id = $1 AND holder = $2', [sourceId, holder]);
  }

  async state(sourceId: number): Promise<SourceRunState | null> {
    const { rows } = await this.pool.query<{ cursor: Record<string, unknown> | null; failures: number; last_success_at: Date | null; next_run_at: Date | null }>(
      'SELECT cursor, failures, last_success_at, next_run_at FROM source_runs WHERE source_id = $1',
      [sourceId],
    );
    const r = rows[0];
    return r ? { cursor: r.cursor, failures: r.failures, lastSuccessAt: r.last_success_at, nextRunAt: r.next_run_at } : null;
  }

  async seen(sourceId: number, externalIds: readonly string[]): Promise<Set<string>> {
    if (!externalIds.length) return new Set();
    const { rows } = await this.pool.query<{ external_id: string }>(
      'SELECT external_id FROM source_items WHERE source_id = $1 AND external_id = ANY($2::text[])',
      [sourceId, externalIds],
    );
    return new Set(rows.map((r) => r.external_id));
  }

  async markSeen(sourceId: number, externalIds: readonly string[]): Promise<void> {
    if (!externalIds.length) return;
    await this.pool.query(
      'INSERT INTO source_items (source_id, external_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
      [sourceId, externalIds],
    );
  }

  async recordPosted(sourceId: number, externalId: string): Promise<void> {
    // One statement: the count grows only when the item is new, so a repeat (a takeover that
    // posted it again as a uuid retry) is not counted twice.
    await this.pool.query(
      `WITH added AS (
         INSERT INTO source_items (source_id, external_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1
       )
       INSERT INTO source_runs (source_id, items_posted) SELECT $1, count(*) FROM added
       ON CONFLICT (source_id) DO UPDATE SET items_posted = source_runs.items_posted + EXCLUDED.items_posted`,
      [sourceId, externalId],
    );
  }

  async recordRun(sourceId: number, outcome: RunOutcome): Promise<void> {
    const keepCursor = outcome.cursor === undefined;
    await this.pool.query(
      `INSERT INTO source_runs (source_id, last_run_at, last_success_at, last_error, next_run_at, failures, cursor)
       VALUES ($1, now(), CASE WHEN $7 THEN now() END, $2, $3, $4, $5)
       ON CONFLICT (source_id) DO UPDATE SET
         last_run_at = now(),
         last_success_at = CASE WHEN $7 THEN now() ELSE source_runs.last_success_at END,
         last_error = $2, next_run_at = $3, failures = $4,
         cursor = CASE WHEN $6 THEN source_runs.cursor ELSE $5 END`,
      [sourceId, outcome.error, outcome.nextRunAt, outcome.failures, keepCursor ? null : outcome.cursor, keepCursor, outcome.ok],
    );
  }

  async recordSession(sourceId: number, holder: string, p: SessionProgress): Promise<boolean> {
    // One statement, fenced by the lease row: nothing is written unless `holder` holds it now.
    const { rowCount } = await this.pool.query(
      `INSERT INTO source_runs (source_id, last_run_at, last_success_at, last_error, failures, items_posted, cursor, next_run_at)
       SELECT $1, now(), CASE WHEN $3 THEN now() END, $4, $5, $6, $7, $8
       FROM source_leases WHERE source_id = $1 AND holder = $2
       ON CONFLICT (source_id) DO UPDATE SET
         last_run_at = now(),
         last_success_at = CASE WHEN $3 THEN now() ELSE source_runs.last_success_at END,
         last_error = $4, failures = $5, items_posted = source_runs.items_posted + $6, cursor = COALESCE($7, source_runs.cursor), next_run_at = $8`,
      [sourceId, holder, p.ok, p.error, p.failures, p.postedDelta, p.cursor, p.nextRunAt],
    );
    return rowCount === 1;
  }
}
