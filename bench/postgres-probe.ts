/** What the shared Postgres server spends during a phase: CPU of all its processes, and WAL syncs (fdatasync calls), to see how many commits share one flush. */
import { execFileSync } from 'node:child_process';
import { Pool } from 'pg';
import { cpuSeconds } from './processes';

/** Pids of every local `postgres` process (postmaster, background workers, one per connection); empty when none is found. */
function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface PostgresReading {
  /** CPU seconds per pid at the reading. */
  cpu: Map<number, number>;
  /** `pg_stat_wal.wal_sync` (cluster-wide); NaN when it cannot be read. */
  walSyncs: number;
}

export async function readPostgres(databaseUrl: string): Promise<PostgresReading> {
  const cpu = new Map(postgresPids().map((pid) => [pid, cpuSeconds(pid)] as const));
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ wal_sync: string }>('SELECT wal_sync FROM pg_stat_wal');
    return { cpu, walSyncs: Number(rows[0]?.wal_sync) };
  } catch {
    return { cpu, walSyncs: Number.NaN };
  } finally {
    await pool.end();
  }
}

/**
 * CPU seconds Postgres used between two readings and the WAL syncs in between. A process born in
 * between (a pool opening a connection under the load) counts whole; one that ended in between is
 * lost, so the figure is a lower bound. Both are the whole server's: other databases' work counts too.
 */
export function postgresBetween(a: PostgresReading, b: PostgresReading): { cpuSeconds: number; walSyncs: number } {
  let cpu = 0;
  for (const [pid, after] of b.cpu) {
    const before = a.cpu.get(pid) ?? 0;
    if (Number.isFinite(before) && Number.isFinite(after)) cpu += after - before;
  }
  return { cpuSeconds: cpu, walSyncs: b.walSyncs - a.walSyncs };
}
