/**
 * Shard leases on Postgres session-level advisory locks: a lock lives exactly as long as the
 * session that took it, so a crashed worker's shards free themselves. Each acquisition bumps the
 * shard's fencing token in `shard_leases`, which the message store checks inside every batch.
 */
import { Client } from 'pg';
import type { Lease, ShardLeases } from '../../core/ports/shard-lease';

/** First key of the two-key advisory lock space, so shard locks never collide with other locks. */
export const LEASE_LOCK_SPACE = 7_310_002;

export class PostgresShardLeases implements ShardLeases {
  private readonly held = new Set<number>();
  private readonly lostListeners: ((shard: number) => void)[] = [];
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;

  constructor(private readonly connectionString: string) {}

  private session(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.connectionString, application_name: 'tributary-shard-leases' });
      // Losing the session releases every lock it held: tell the owner to stop writing those shards.
      const lose = () => this.loseAll(client);
      client.on('error', lose);
      client.on('end', lose);
      await client.connect();
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

  async tryAcquire(shard: number): Promise<Lease | null> {
    const client = await this.session();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LEASE_LOCK_SPACE, shard]);
    if (!rows[0]?.ok) return null;
    const bumped = await client.query<{ token: string }>(
      `INSERT INTO shard_leases (shard, token) VALUES ($1, 1)
       ON CONFLICT (shard) DO UPDATE SET token = shard_leases.token + 1 RETURNING token`,
      [shard],
    );
    this.held.add(shard);
    return { shard, token: Number(bumped.rows[0]!.token) };
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
