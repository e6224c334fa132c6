/** What the shared Postgres server spends during a phase: CPU of all its processes, and WAL syncs (fdatasync calls), to see how many commits share one flush. */
import { Pool } from 'pg';
import { cpuSecondsBetween, processesNamed } from './cpu-budget';
import { cpuSeconds } from './processes';

export interface PostgresReading {
  /** CPU seconds per pid at the reading (postmaster, background workers, one per connection). */
  cpu: Map<number, number>;
  /** `pg_stat_wal.wal_sync` (cluster-wide); NaN when it cannot be read. */
  walSyncs: number;
}

export async function readPostgres(databaseUrl: string): Promise<PostgresReading> {
  const cpu = new Map(processesNamed('postgres').map((pid) => [pid, cpuSeconds(pid)] as const));
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
 * CPU seconds Postgres used between two readings (a lower bound: see cpuSecondsBetween) and the
 * WAL syncs in between. Both are the whole server's: other databases' work counts too.
 */
export function postgresBetween(a: PostgresReading, b: PostgresReading): { cpuSeconds: number; walSyncs: number } {
  return { cpuSeconds: cpuSecondsBetween(a.cpu, b.cpu), walSyncs: b.walSyncs - a.walSyncs };
}
