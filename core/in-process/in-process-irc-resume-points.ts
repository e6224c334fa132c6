/** InProcessIrcResumePoints: IRC resume positions in memory, for the embedded mode (one node) and unit tests. */
import { IRC_RESUME_MAX_CONVERSATIONS, IRC_RESUME_TTL_MS, type IrcResumePoints, type IrcResumePointsOptions } from '../ports/irc-resume-points';

/** Users kept at most, the least recently saved dropped first (Redis bounds the count by expiry instead). */
const MAX_USERS = 100_000;

export class InProcessIrcResumePoints implements IrcResumePoints {
  /** Per user, client → conversation → id, in order of the last save (a Map keeps insertion order): the first is the oldest. */
  private readonly points = new Map<number, { clients: Map<string, Record<string, number>>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxConversations: number;

  constructor(options: IrcResumePointsOptions = {}) {
    this.ttlMs = options.ttlMs ?? IRC_RESUME_TTL_MS;
    this.maxConversations = options.maxConversations ?? IRC_RESUME_MAX_CONVERSATIONS;
  }

  async save(userId: number, client: string, positions: Record<string, number>): Promise<void> {
    if (Object.keys(positions).length === 0) return;
    let clients = this.live(userId) ?? new Map<string, Record<string, number>>();
    clients.set(client, { ...clients.get(client), ...positions });
    const count = [...clients.values()].reduce((n, p) => n + Object.keys(p).length, 0);
    if (count > this.maxConversations) clients = new Map([[client, { ...positions }]]);
    this.points.delete(userId);
    if (this.points.size >= MAX_USERS) this.points.delete(this.points.keys().next().value as number);
    this.points.set(userId, { clients, expiresAt: Date.now() + this.ttlMs });
  }

  async of(userId: number, client: string): Promise<Record<string, number>> {
    return { ...this.live(userId)?.get(client) };
  }

  private live(userId: number): Map<string, Record<string, number>> | undefined {
    const kept = this.points.get(userId);
    return kept && kept.expiresAt > Date.now() ? kept.clients : undefined;
  }

  async close(): Promise<void> {}
}
