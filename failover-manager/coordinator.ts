/** The manager's side of ZooKeeper: its session (kept alive across outages), leader election, and the failover znodes. */
import type { State } from 'node-zookeeper-client';
import { FAILOVER_PATHS, type FailoverEventEntry, type FailoverHistoryEntry, type ManagerView, type MasterRecord } from '../core/discovery/failover-state';
import type { Log } from '../core/log';
import { CreateMode, isNoNode, ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { LeadershipLog, SessionTracker } from './failover-events';
import { type FailoverState, readFailoverState } from './failover-znodes';

/** Options for {@link Coordinator}. */
export interface CoordinatorOptions {
  connectString: string;
  managerId: string;
  sessionTimeoutMs: number;
  log: Log;
  /** Called when something happened that the loop should look at now (a session change, a predecessor gone). */
  wake: () => void;
}

/** A fresh read of ZooKeeper, plus where this manager stands in the election. */
export interface CoordinatorSnapshot extends FailoverState {
  /** This manager's `managers` child, or null when it has none (not connected yet). */
  me: string | null;
  isLeader: boolean;
}

/** The last snapshot this manager read, and when (ms epoch): what status shows while ZooKeeper is out of reach. */
export interface LastRead {
  snapshot: CoordinatorSnapshot;
  at: number;
}

const RETRY_MS = 1000;

/**
 * Leadership is never cached: every snapshot re-reads the `managers` children, and leading means
 * having the lowest one while the session is connected. A disconnected session answers no snapshot,
 * so a manager that loses ZooKeeper stops acting at once; an expired one is replaced by a new session.
 */
export class Coordinator {
  private session: ZookeeperSession | null = null;
  private connected = false;
  private stopped = false;
  private member: string | null = null;
  private watching: string | null = null;
  private read: LastRead | null = null;
  /** Our session's life, for status, metrics and the outage entries. */
  readonly sessionTracker: SessionTracker;
  private readonly leadership: LeadershipLog;
  /** Every manager id this manager has seen registered or viewing, and when it last saw it (ms epoch). */
  readonly seenManagers = new Map<string, number>();

  constructor(private readonly options: CoordinatorOptions) {
    this.sessionTracker = new SessionTracker(options.managerId);
    this.leadership = new LeadershipLog(options.managerId);
  }

  get connectString(): string {
    return this.options.connectString;
  }

  /** The last snapshot read (null before the first). */
  get lastRead(): LastRead | null {
    return this.read;
  }

  /** Starts connecting in the background; retries until ZooKeeper answers, saying why it waits. */
  start(): void {
    void this.connectLoop();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  private async connectLoop(): Promise<void> {
    const { connectString, sessionTimeoutMs, log } = this.options;
    while (!this.stopped && !this.session) {
      try {
        const session = await ZookeeperSession.connect(connectString, { sessionTimeoutMs, connectTimeoutMs: Math.max(2000, sessionTimeoutMs) });
        if (this.stopped) return session.close();
        session.onState((state) => this.sessionOnState(session, state));
        this.session = session;
        await this.register(session);
        log.info({ connectString }, 'connected to ZooKeeper; registered as a manager');
      } catch (err) {
        this.dropSession();
        this.sessionTracker.lost('unreachable');
        log.warn({ err: (err as Error).message, connectString }, `ZooKeeper unreachable (${(err as Error).message}); not acting, retrying in ${RETRY_MS} ms`);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private async register(session: ZookeeperSession): Promise<void> {
    await Promise.all([FAILOVER_PATHS.managers, FAILOVER_PATHS.views, FAILOVER_PATHS.history, FAILOVER_PATHS.events].map((p) => session.mkdirp(p)));
    const registration = JSON.stringify({ managerId: this.options.managerId, startedAt: new Date().toISOString() });
    const path = await session.create(`${FAILOVER_PATHS.managers}/m-`, registration, CreateMode.EPHEMERAL_SEQUENTIAL);
    this.member = path.slice(path.lastIndexOf('/') + 1);
    this.watching = null;
    this.connected = true;
    this.regained();
    this.options.wake();
  }

  /** Connected again: the outage that ended goes on record (in the background; a failed write is logged, not retried). */
  private regained(): void {
    const outage = this.sessionTracker.regained();
    if (outage) void this.appendEvent(outage).catch((err: unknown) => this.options.log.warn({ err: (err as Error).message }, 'could not record the ZooKeeper outage'));
  }

  private sessionOnState(session: ZookeeperSession, state: State): void {
    if (session !== this.session) return;
    const name = state.name;
    this.options.log.warn({ state: name }, `ZooKeeper session ${name}`);
    if (name === 'SYNC_CONNECTED') {
      this.connected = this.member !== null;
      if (this.connected) this.regained();
    } else if (name === 'EXPIRED') {
      this.dropSession();
      this.sessionTracker.lost('expired');
      if (!this.stopped) void this.connectLoop();
    } else {
      this.connected = false;
      this.sessionTracker.lost('disconnected');
    }
    this.options.wake();
  }

  private dropSession(): void {
    this.connected = false;
    this.member = null;
    this.session?.close();
    this.session = null;
  }

  private get live(): ZookeeperSession {
    if (!this.session || !this.connected) throw new Error('no ZooKeeper session');
    return this.session;
  }

  /** Reads everything the loop decides on; throws when the session is not connected. */
  async snapshot(): Promise<CoordinatorSnapshot> {
    const session = this.live;
    const state = await readFailoverState(session);
    const me = this.member;
    if (!me || !state.members.includes(me)) throw new Error('our manager znode is gone; waiting for a new session');
    const index = state.members.indexOf(me);
    if (index > 0) await this.watchPredecessor(session, state.members[index - 1]!);
    const snapshot: CoordinatorSnapshot = { ...state, me, isLeader: index === 0 };
    const change = this.leadership.observe({ me, isLeader: snapshot.isLeader, leaderId: snapshot.leaderId });
    if (change) {
      await this.appendEvent(change); // a failed write fails the snapshot: we do not lead unrecorded
      this.leadership.led(me);
    }
    this.remember(snapshot);
    return snapshot;
  }

  private remember(snapshot: CoordinatorSnapshot): void {
    const at = Date.now();
    this.read = { snapshot, at };
    for (const id of [...snapshot.registrations.map((r) => r.managerId), ...snapshot.views.map((v) => v.managerId)]) this.seenManagers.set(id, at);
  }

  /** Wakes the loop when the manager just ahead of us goes away (one watch, not one per manager). */
  private async watchPredecessor(session: ZookeeperSession, predecessor: string): Promise<void> {
    if (this.watching === predecessor) return;
    this.watching = predecessor;
    const there = await session.exists(`${FAILOVER_PATHS.managers}/${predecessor}`, () => this.options.wake());
    if (!there) this.options.wake();
  }

  /** Publishes this manager's view (ephemeral: it disappears with the session). */
  async writeView(view: ManagerView): Promise<void> {
    const path = `${FAILOVER_PATHS.views}/${this.options.managerId}`;
    try {
      await this.live.setData(path, JSON.stringify(view));
    } catch (err) {
      if (!isNoNode(err)) throw err;
      await this.live.create(path, JSON.stringify(view), CreateMode.EPHEMERAL);
    }
  }

  /** Writes the master record only if it is still at `version` (null: only if there is none yet). */
  async writeRecord(record: MasterRecord, version: number | null): Promise<void> {
    if (version === null) await this.live.create(FAILOVER_PATHS.master, JSON.stringify(record));
    else await this.live.setData(FAILOVER_PATHS.master, JSON.stringify(record), version);
  }

  async appendHistory(entry: FailoverHistoryEntry): Promise<void> {
    await this.live.create(`${FAILOVER_PATHS.history}/h-`, JSON.stringify(entry), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  async appendEvent(entry: FailoverEventEntry): Promise<void> {
    await this.live.create(`${FAILOVER_PATHS.events}/e-`, JSON.stringify(entry), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /** Removes a consumed promote request, only the version that was read (a newer one stays). */
  async removeRequest(version: number): Promise<void> {
    await this.live.remove(FAILOVER_PATHS.promoteRequest, version).catch((err: unknown) => {
      if (!String((err as Error).message).includes('BAD_VERSION')) throw err;
    });
  }

  /** The session, for the API's writes of intent; null when not connected. */
  get liveSession(): ZookeeperSession | null {
    return this.connected ? this.session : null;
  }

  /** Steps down at once: removes our znodes by closing the session, and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    const session = this.session;
    if (session) {
      // Give the close request a moment to reach the ensemble, so our ephemerals go now, not at expiry.
      await new Promise<void>((resolve) => {
        session.client.once('disconnected', () => resolve());
        setTimeout(resolve, 1000).unref();
        this.dropSession();
      });
    }
  }
}
