/**
 * RedisIrcResumePoints: where each user's IRC clients left off, in a hash per user that every
 * streaming node reads, field `<client> <conversation>` (neither holds a space), value the id.
 */
import type { Redis } from 'ioredis';
import { IRC_RESUME_MAX_CONVERSATIONS, IRC_RESUME_TTL_MS, type IrcResumePoints, type IrcResumePointsOptions } from '../../core/ports/irc-resume-points';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { onRedis } from './redis-outage';

export interface RedisIrcResumePointsOptions extends IrcResumePointsOptions {
  url?: string;
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}irc-resume:${userId}`). Default `trib:`. */
  prefix?: string;
}

/**
 * One script, so a save is atomic against another node's save for the same user: merge, replace
 * the whole hash when it would pass the bound, renew the expiry. ARGV: ttl ms, bound, then
 * conversation/id pairs.
 */
const SAVE = `
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], unpack(ARGV, 3))
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

export class RedisIrcResumePoints implements IrcResumePoints {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxConversations: number;

  constructor(options: RedisIrcResumePointsOptions) {
    this.redis = (options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379'))();
    this.prefix = options.prefix ?? 'trib:';
    this.ttlMs = options.ttlMs ?? IRC_RESUME_TTL_MS;
    this.maxConversations = options.maxConversations ?? IRC_RESUME_MAX_CONVERSATIONS;
  }

  async save(userId: number, client: string, positions: Record<string, number>): Promise<void> {
    const pairs = Object.entries(positions).flatMap(([conversation, id]) => [`${client} ${conversation}`, String(id)]);
    if (pairs.length === 0) return;
    await onRedis(this.redis.eval(SAVE, 1, this.key(userId), String(this.ttlMs), String(this.maxConversations), ...pairs));
  }

  async of(userId: number, client: string): Promise<Record<string, number>> {
    // The whole hash: at most maxConversations fields, and one round trip.
    const fields = await onRedis(this.redis.hgetall(this.key(userId)));
    const positions: Record<string, number> = {};
    for (const [field, id] of Object.entries(fields)) {
      if (field.startsWith(`${client} `)) positions[field.slice(client.length + 1)] = Number(id);
    }
    return positions;
  }

  async close(): Promise<void> {
    await closeClient(this.redis);
  }

  private key(userId: number): string {
    return `${this.prefix}irc-resume:${userId}`;
  }
}
