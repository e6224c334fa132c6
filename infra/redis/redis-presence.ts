/** RedisPresence: who was last active in each flow, shared by every process, with a TTL. */
import type { Redis } from 'ioredis';
import type { Presence } from '../../core/ports/presence';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { asRedisFailure, onRedis } from './redis-outage';

/** Options for {@link RedisPresence}. */
export interface RedisPresenceOptions {
  /** How long after the last touch a user still counts as present. */
  ttlMs: number;
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the connection; the presence store owns and closes it. */
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}presence:${flowId}`). Default `trib:`. */
  prefix?: string;
  /** Clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * A hash per flow, user → last activity (ms). Redis expires fields only with the whole hash, so
 * the hash's TTL (renewed on every touch) drops idle flows, and reads drop stale users
 * (HDEL), which keeps busy flows from accumulating everyone who ever passed by.
 */
export class RedisPresence implements Presence {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: RedisPresenceOptions) {
    this.redis = (options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379'))();
    this.prefix = options.prefix ?? 'trib:';
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  async touch(flowId: string, userId: number, at: number): Promise<void> {
    const key = this.key(flowId);
    const replies = await onRedis(this.redis.multi().hset(key, String(userId), String(at)).pexpire(key, this.ttlMs).exec());
    for (const [error] of replies ?? []) if (error) throw asRedisFailure(error);
  }

  async lastActivity(flowId: string): Promise<Map<number, number>> {
    const key = this.key(flowId);
    const fields = await onRedis(this.redis.hgetall(key));
    const oldest = this.now() - this.ttlMs;
    const present = new Map<number, number>();
    const stale: string[] = [];
    for (const [user, value] of Object.entries(fields)) {
      const at = Number(value);
      if (at > oldest) present.set(Number(user), at);
      else stale.push(user);
    }
    // A touch landing between HGETALL and HDEL can be dropped; the user's next touch restores it,
    // which presence tolerates better than the cost of a script on every read.
    if (stale.length > 0) await onRedis(this.redis.hdel(key, ...stale));
    return present;
  }

  async forget(flowId: string, userId: number): Promise<void> {
    await onRedis(this.redis.hdel(this.key(flowId), String(userId)));
  }

  async close(): Promise<void> {
    await closeClient(this.redis);
  }

  private key(flowId: string): string {
    return `${this.prefix}presence:${flowId}`;
  }
}
