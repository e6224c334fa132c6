/**
 * Shard leases on Postgres session-level advisory locks: a lock lives exactly as long as the
 * session that took it, so a crashed worker's shards free themselves. Each acquisition bumps the
 * shard's fencing token in `shard_leases`, which the message store checks inside every batch.
 */
import { Client } from 'pg';
import { randomInt } from 'node:crypto';
import type { Lease, LeaseWorkers, ShardLeases } from '../../core/ports/shard-lease';

/** First key of the two-key advisory lock space, so shard locks never collide with other locks. */
export const LEASE_LOCK_SPACE = 7_310_002;
/**
 * The space of the workers' own locks: each session holds one under a random id for as long as it
 * lives, so the granted locks of this space in this database are the live workers (ADR 034).
 */
export const WORKER_LOCK_SPACE = 7_310_003;

/** The live workers' ids: advisory locks on two int4 keys show as classid = key 1, objid = key 2, objsubid = 2. */
const LIVE_WORKERS_SQL = `SELECT objid::bigint::text AS id FROM pg_locks
  WHERE locktype = 'advisory' AND classid = $1::oid AND objsubid = 2 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  ORDER BY objid`;

export class PostgresShardLeases implements ShardLeases {
  private readonly held = new Set<number>();
  private readonly lostListeners: ((shard: number) => void)[] = [];
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  /** This session's worker id (its lock in WORKER_LOCK_SPACE); a new session takes a new one. */
  private workerId = '';

  constructor(private readonly connectionString: string) {}

  private session(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.connectionString, application_name: 'tributary-shard-leases' });
      // Losing the session releases every lock it held: tell the owner to stop writing those shards.
      const lose = () => this.loseAll(client);
      client.on('error', lose);
      client.on('end', lose);
      try {
        await client.connect();
        this.workerId = await takeWorkerId(client);
      } catch (err) {
        // The next call tries a new session (a Postgres restart must not leave this worker unable to lease forever).
        this.connecting = null;
        await client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      this.connecting = null;
      return client;
    })();
    return this.connecting;
  }

  private loseAll(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    const shards = [...this.held];
    this.held.clear();
    for (const shard of shards) for (const l of this.lostListeners) l(shard);
  }

  /**
   * Advisory locks stack within a session, and `release` unlocks once: a shard this session holds
   * already (its lease given up by the caller after a failure) is not locked again, only given a
   * new token. A failed token bump unlocks what it locked, so no lock outlives its lease.
   */
  async tryAcquire(shard: number): Promise<Lease | null> {
    const client = await this.session();
    const lockedHere = !this.held.has(shard);
    if (lockedHere) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LEASE_LOCK_SPACE, shard]);
      if (!rows[0]?.ok) return null;
    }
    try {
      const bumped = await client.query<{ token: string }>(
        `INSERT INTO shard_leases (shard, token) VALUES ($1, 1)
         ON CONFLICT (shard) DO UPDATE SET token = shard_leases.token + 1 RETURNING token`,
        [shard],
      );
      this.held.add(shard);
      return { shard, token: Number(bumped.rows[0]!.token) };
    } catch (err) {
      if (lockedHere) await client.query('SELECT pg_advisory_unlock($1, $2)', [LEASE_LOCK_SPACE, shard]).catch(() => undefined);
      throw err;
    }
  }

  async workers(): Promise<LeaseWorkers> {
    const client = await this.session();
    const { rows } = await client.query<{ id: string }>(LIVE_WORKERS_SQL, [WORKER_LOCK_SPACE]);
    return { self: this.workerId, all: rows.map((r) => r.id) };
  }

  async release(lease: Lease): Promise<void> {
    if (!this.held.delete(lease.shard) || !this.client) return;
    await this.client.query('SELECT pg_advisory_unlock($1, $2)', [LEASE_LOCK_SPACE, lease.shard]);
  }

  onLost(listener: (shard: number) => void): void {
    this.lostListeners.push(listener);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }
}

/** Holds a lock under a random free id in WORKER_LOCK_SPACE for the session's life; returns the id. */
async function takeWorkerId(client: Client): Promise<string> {
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [WORKER_LOCK_SPACE, id]);
    if (rows[0]?.ok) return String(id);
  }
}
