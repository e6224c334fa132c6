/**
 * What a manager notices about its own coordination and records in the `events` znodes: its
 * ZooKeeper session coming and going (SessionTracker) and the lead changing hands (LeadershipLog).
 * Both only turn observations into entries; the coordinator writes them.
 */
import type { LeaderChangeEntry, ZookeeperOutageEntry } from '../core/discovery/failover-state';

/** The manager's ZooKeeper session, as status and metrics show it. */
export const SESSION_STATES = ['connecting', 'connected', 'disconnected', 'expired'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/**
 * Follows the session through connect failures, DISCONNECTED, EXPIRED and back. An outage opens
 * at the first sign of trouble (a failed connect, a disconnect, an expiry) and closes when the
 * manager is connected and registered again; closing it yields the entry to record.
 */
export class SessionTracker {
  private current: SessionState = 'connecting';
  private changedAt = Date.now();
  private outage: { lostAt: number; expired: boolean } | null = null;

  constructor(private readonly managerId: string) {}

  get state(): SessionState {
    return this.current;
  }

  /** ms epoch of the last state change. */
  get since(): number {
    return this.changedAt;
  }

  /** ms epoch since when ZooKeeper has been out of reach, or null while connected (or still connecting for the first time without a failure). */
  get lostSince(): number | null {
    return this.outage?.lostAt ?? null;
  }

  /** A connect attempt failed, the session disconnected, or it expired. */
  lost(how: 'unreachable' | 'disconnected' | 'expired', now = Date.now()): void {
    this.outage ??= { lostAt: now, expired: false };
    if (how === 'expired') this.outage.expired = true;
    // A failed connect leaves the state as it was (still connecting, or expired and reconnecting).
    if (how !== 'unreachable') this.move(how, now);
  }

  /** Connected and registered; returns the outage that just ended, if there was one. */
  regained(now = Date.now()): ZookeeperOutageEntry | null {
    this.move('connected', now);
    const outage = this.outage;
    this.outage = null;
    if (!outage) return null;
    return {
      kind: 'zookeeper-outage', managerId: this.managerId, lostAt: new Date(outage.lostAt).toISOString(), regainedAt: new Date(now).toISOString(),
      outageMs: now - outage.lostAt, sessionExpired: outage.expired,
    };
  }

  private move(state: SessionState, now: number): void {
    if (state === this.current) return;
    this.current = state;
    this.changedAt = now;
  }
}

/**
 * Notices, from each snapshot, when this manager starts leading. The entry names the leader it
 * saw before (null when it saw none), so a stopped or killed leader's successor records the change.
 */
export class LeadershipLog {
  /** The `managers` child we led as; null while not leading. */
  private ledAs: string | null = null;
  private lastLeader: string | null = null;

  constructor(private readonly managerId: string) {}

  /** The entry to record when this snapshot makes us the new leader; null otherwise. Call {@link led} once it is written. */
  observe(snapshot: { me: string; isLeader: boolean; leaderId: string | null }, now = Date.now()): LeaderChangeEntry | null {
    if (!snapshot.isLeader) {
      this.ledAs = null;
      this.lastLeader = snapshot.leaderId;
      return null;
    }
    if (this.ledAs === snapshot.me) return null;
    return { kind: 'leader-change', at: new Date(now).toISOString(), leader: this.managerId, previous: this.lastLeader };
  }

  /** The change for `me` is on record: do not record it again. */
  led(me: string): void {
    this.ledAs = me;
    this.lastLeader = this.managerId;
  }
}
