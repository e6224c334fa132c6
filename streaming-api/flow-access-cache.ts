/**
 * FlowAccessCache: the gate's recent "may read" answers per user and flow reference, so that a
 * burst of subscriptions (10 000 clients after a restart) does not ask the database once each.
 */
import { allowedFlowRefs } from '../core/access/flow-gate';
import type { Directory, FlowAccess } from '../core/ports/directory';
import type { RevocationLog } from './revocation-log';

/**
 * How long an answer is reused. Access lost is not waited out: a revocation drops the user's
 * answers at once ({@link FlowAccessCache.forgetUser}). This bounds the rest (a renamed flow's path)
 * and stays below the revocation log's memory (60 s), which the subscribe-time check relies on.
 */
const TTL_MS = 20_000;

interface Entry {
  view: FlowAccess;
  expires: number;
}

interface UserEntries {
  refs: Map<string, Entry>;
  /** When the newest of them expires. */
  expires: number;
}

/** Refs remembered per user at most (they are client-chosen strings). */
const MAX_REFS_PER_USER = 1000;

/**
 * Only allowed answers are kept (a user just added to a flow is not refused for a while). An answer
 * is stored only if no revocation of its flow for the user was applied since the query began
 * (the mark), so a revocation racing with the query cannot leave a stale allow behind; and every
 * revocation applied on this node drops the user's entries (ADR 023).
 */
export class FlowAccessCache {
  /** Least recently stored user first, so that expired users are dropped from the front. */
  private readonly byUser = new Map<number, UserEntries>();

  constructor(
    private readonly directory: Directory,
    private readonly revocations: RevocationLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Like allowedFlowRefs(…, 'read'): the readable flow of each ref, or null. */
  async readable(userId: number, refs: readonly string[]): Promise<(FlowAccess | null)[]> {
    const now = this.now();
    const entries = this.byUser.get(userId)?.refs;
    const hits = refs.map((ref) => {
      const entry = entries?.get(ref);
      return entry && entry.expires > now ? entry.view : undefined;
    });
    if (hits.every((hit) => hit !== undefined)) return hits;
    const mark = this.revocations.mark();
    const views = await allowedFlowRefs(this.directory, userId, refs, 'read');
    views.forEach((view, i) => {
      if (view && !this.revocations.revokedSince(userId, view.flow.id, mark)) this.store(userId, refs[i]!, view);
    });
    return views;
  }

  /** The user lost access somewhere: nothing of theirs is answered from memory any more. */
  forgetUser(userId: number): void {
    this.byUser.delete(userId);
  }

  /** Revocations may have been missed (a bus gap): forget everything. */
  clear(): void {
    this.byUser.clear();
  }

  private store(userId: number, ref: string, view: FlowAccess): void {
    const now = this.now();
    const expires = now + TTL_MS;
    const user = this.byUser.get(userId) ?? { refs: new Map<string, Entry>(), expires };
    this.byUser.delete(userId);
    this.byUser.set(userId, user);
    if (user.refs.size >= MAX_REFS_PER_USER) user.refs.clear();
    user.refs.set(ref, { view, expires });
    user.expires = expires;
    for (const [id, entries] of this.byUser) {
      if (entries.expires > now) break;
      this.byUser.delete(id);
    }
  }
}
