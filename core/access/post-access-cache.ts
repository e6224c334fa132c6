/**
 * PostAccessCache: the gate's recent "may post" answers per member and flow reference, so that a
 * member's post costs the edge no database round trip on a warm path (ADR 035).
 *
 * Unlike the streaming nodes' read cache (streaming-api/flow-access-cache.ts), this one needs no
 * revocation to be correct: every post it admits carries its member, and the store writes the post
 * only if that member may still post there when it is written (MessageStore.checksPosters), and an
 * answer is kept only after a reply said so (`posterChecked`). A block or a removal therefore holds
 * for every post sent after it was answered; a stale answer here costs the refused poster one trip
 * through the queue to their 404 or 403, after which the answer is forgotten.
 */
import type { FlowAccess } from '../ports/directory';
import type { FlowRef } from '../actions/flow-ref';

/**
 * How long an answer is reused: how long a member refused by the store may still be admitted here
 * (each refusal also drops its entry). A flow's path never changes (a rename changes its display
 * name only), so an entry found by path cannot come to name another flow (ADR 035).
 */
export const POST_ACCESS_TTL_MS = 10_000;

/** Answers kept at most (member × flow reference); the oldest go first. */
export const POST_ACCESS_MAX_ENTRIES = 50_000;

interface Entry {
  access: FlowAccess;
  expires: number;
}

/** The cache key of a member's reference to a flow: ids, paths and free-form refs never collide. */
function keyOf(userId: number, flow: FlowRef): string {
  // Trimmed as the gate trims it: spaces around one flow's reference do not make more entries.
  if ('ref' in flow) return `${userId}\u0000ref\u0000${flow.ref.trim()}`;
  if ('id' in flow) return `${userId}\u0000id\u0000${flow.id}`;
  // A path's two parts come from the URL and may hold any character: JSON keeps them apart.
  return `${userId}\u0000path\u0000${JSON.stringify([flow.org, flow.flow])}`;
}

/** Only allowed answers are kept, so a member just added is never refused from memory. */
export class PostAccessCache {
  /** Oldest stored first (a Map keeps insertion order): expired and surplus entries go from the front. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The flow the gate allowed `userId` to post to under this reference, if it did so recently. */
  get(userId: number, flow: FlowRef): FlowAccess | undefined {
    const key = keyOf(userId, flow);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.access;
    this.entries.delete(key);
    return undefined;
  }

  /** Remembers that the gate allowed the post. */
  remember(userId: number, flow: FlowRef, access: FlowAccess): void {
    const key = keyOf(userId, flow);
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { access, expires: now + (this.options.ttlMs ?? POST_ACCESS_TTL_MS) });
    const max = this.options.maxEntries ?? POST_ACCESS_MAX_ENTRIES;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= max && entry.expires > now) break;
      this.entries.delete(oldest);
    }
  }

  /** A post admitted from memory was refused by the store (or failed on its flow): ask the directory next time. */
  forget(userId: number, flow: FlowRef): void {
    this.entries.delete(keyOf(userId, flow));
  }

  get size(): number {
    return this.entries.size;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
