/** InProcessIrcResumePoints: IRC resume positions in memory, for the embedded mode (one node) and unit tests. */
import { IRC_RESUME_MAX_CONVERSATIONS, IRC_RESUME_TTL_MS, type IrcResumePoints, type IrcResumePointsOptions } from '../ports/irc-resume-points';

/** Users kept at most, the least recently saved dropped first (Redis bounds the count by expiry instead). */
const MAX_USERS = 100_000;

export class InProcessIrcResumePoints implements IrcResumePoints {
  /** In order of the last save (a Map keeps insertion order): the first is the oldest. */
  private readonly points = new Map<number, { positions: Record<string, number>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxConversations: number;

  constructor(options: IrcResumePointsOptions = {}) {
    this.ttlMs = options.ttlMs ?? IRC_RESUME_TTL_MS;
    this.maxConversations = options.maxConversations ?? IRC_RESUME_MAX_CONVERSATIONS;
  }

  async save(userId: number, positions: Record<string, number>): Promise<void> {
    if (Object.keys(positions).length === 0) return;
    let merged = { ...(await this.of(userId)), ...positions };
    if (Object.keys(merged).length > this.maxConversations) merged = { ...positions };
    this.points.delete(userId);
    if (this.points.size >= MAX_USERS) this.points.delete(this.points.keys().next().value as number);
    this.points.set(userId, { positions: merged, expiresAt: Date.now() + this.ttlMs });
  }

  async of(userId: number): Promise<Record<string, number>> {
    const kept = this.points.get(userId);
    if (!kept || kept.expiresAt <= Date.now()) return {};
    return { ...kept.positions };
  }

  async close(): Promise<void> {}
}
