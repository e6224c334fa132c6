/**
 * RevocationLog: the revocations this node applied recently, so that a subscription whose access
 * check raced with one (checked before the commit, joined after the revocation was applied)
 * is cut as well instead of slipping through.
 */

/** How long a revocation is remembered: far longer than any subscribe takes. */
const KEEP_MS = 60_000;

export class RevocationLog {
  private sequence = 0;
  /** `${userId}/${flowId}` → sequence number and time of its latest revocation. */
  private readonly latest = new Map<string, { seq: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A mark taken before an access check; see {@link revokedSince}. */
  mark(): number {
    return this.sequence;
  }

  record(userId: number, flowIds: readonly string[]): void {
    const at = this.now();
    this.sequence++;
    for (const flowId of flowIds) {
      const key = `${userId}/${flowId}`;
      this.latest.delete(key);
      this.latest.set(key, { seq: this.sequence, at });
    }
    // Oldest first (insertion order, refreshed by delete+set): prune from the front.
    for (const [key, entry] of this.latest) {
      if (at - entry.at < KEEP_MS) break;
      this.latest.delete(key);
    }
  }

  /** True when the user lost the flow after `mark` was taken. */
  revokedSince(userId: number, flowId: string, mark: number): boolean {
    return (this.latest.get(`${userId}/${flowId}`)?.seq ?? 0) > mark;
  }
}
