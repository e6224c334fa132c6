/** InProcessPresence: Presence in memory with a TTL, for the embedded mode and unit tests. */
import type { Presence } from '../ports/presence';

/** Options for {@link InProcessPresence}. */
export interface InProcessPresenceOptions {
  /** How long after the last touch a user still counts as present. */
  ttlMs: number;
  /** Clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * flow → user → last activity (ms). Entries older than the TTL are dropped when the flow is
 * read, and a flow whose users all expired is dropped with them.
 */
export class InProcessPresence implements Presence {
  private readonly flows = new Map<string, Map<number, number>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: InProcessPresenceOptions) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  async touch(flowId: string, userId: number, at: number): Promise<void> {
    let users = this.flows.get(flowId);
    if (!users) {
      users = new Map();
      this.flows.set(flowId, users);
    }
    users.set(userId, at);
  }

  async lastActivity(flowId: string): Promise<Map<number, number>> {
    const users = this.flows.get(flowId);
    if (!users) return new Map();
    const oldest = this.now() - this.ttlMs;
    for (const [userId, at] of users) if (at <= oldest) users.delete(userId);
    if (users.size === 0) this.flows.delete(flowId);
    // A copy: callers must not be able to edit the stored state.
    return new Map(users);
  }

  async forget(flowId: string, userId: number): Promise<void> {
    const users = this.flows.get(flowId);
    users?.delete(userId);
    if (users?.size === 0) this.flows.delete(flowId);
  }

  async close(): Promise<void> {
    this.flows.clear();
  }
}
