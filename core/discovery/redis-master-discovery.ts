/**
 * RedisMasterDiscovery: the current Redis master as the failover managers publish it in
 * ZooKeeper, kept up to date through a watch, never going back to an older epoch.
 */
import type { Log } from '../log';
import { FAILOVER_PATHS, type MasterRecord } from './failover-state';
import { parseMasterRecord } from './master-record';

/**
 * The part of a ZooKeeper session discovery needs; infra/zookeeper's ZookeeperSession satisfies
 * it. Watchers fire once, as in ZooKeeper itself.
 */
export interface DiscoverySession {
  getData(path: string, watcher?: (event: unknown) => void): Promise<{ data: Buffer } | null>;
  exists(path: string, watcher?: (event: unknown) => void): Promise<boolean>;
  /** Session states by name: SYNC_CONNECTED, DISCONNECTED, EXPIRED, … */
  onState(listener: (state: { name: string }) => void): void;
  close(): void;
}

/** Options for {@link RedisMasterDiscovery}. */
export interface RedisMasterDiscoveryOptions {
  /** Opens a new session (rejects when ZooKeeper cannot be reached in time). Called again after a session expires. */
  connect: () => Promise<DiscoverySession>;
  log: Log;
  /** Default {@link FAILOVER_PATHS.master}. */
  path?: string;
  /** Pause between attempts to open a session. Default 500 ms. */
  retryDelayMs?: number;
}

/** Called with the new record and the one it replaces (null for the first). */
export type MasterChangeListener = (record: MasterRecord, previous: MasterRecord | null) => void;

/**
 * Reads the master znode and keeps a watch on it, re-armed after every event. Records whose
 * epoch is not above the current one are ignored, so a delayed or replayed read can never move
 * clients back to a demoted master. Losing the session keeps the last known master (guessing
 * from Redis itself could pick a node the managers have fenced off) and opens a new session.
 */
export class RedisMasterDiscovery {
  private record: MasterRecord | null = null;
  private session: DiscoverySession | null = null;
  private readonly listeners: MasterChangeListener[] = [];
  private readonly waiters = new Set<(record: MasterRecord) => void>();
  private readonly path: string;
  private readonly retryDelayMs: number;
  private closed = false;
  /** Whether the session is connected now: /ready reports it (the last known master is kept either way). */
  private connected = false;
  private started: Promise<void> | null = null;

  constructor(private readonly options: RedisMasterDiscoveryOptions) {
    this.path = options.path ?? FAILOVER_PATHS.master;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  /** Starts connecting in the background; idempotent. Use {@link waitForMaster} to wait for a first record. */
  start(): void {
    this.started ??= this.openSession();
  }

  /** The newest record seen, or null before the first. */
  current(): MasterRecord | null {
    return this.record;
  }

  /** True while a ZooKeeper session is open and connected; false while connecting, disconnected or expired. */
  get isConnected(): boolean {
    return this.connected && !this.closed;
  }

  /** Registers a listener for every accepted record (the first one included). */
  onChange(listener: MasterChangeListener): void {
    this.listeners.push(listener);
  }

  /** Resolves with the first record (at once if there is one); rejects after `timeoutMs` or on close. */
  waitForMaster(timeoutMs: number): Promise<MasterRecord> {
    this.start();
    if (this.record) return Promise.resolve(this.record);
    return new Promise((resolve, reject) => {
      const waiter = (record: MasterRecord) => {
        clearTimeout(timer);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no Redis master published at ${this.path} within ${timeoutMs} ms (are the failover managers running?)`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = null;
  }

  /** Opens sessions until one works (logging why not), then reads. Never throws. */
  private async openSession(): Promise<void> {
    let attempts = 0;
    while (!this.closed) {
      try {
        const session = await this.options.connect();
        if (this.closed) {
          session.close();
          return;
        }
        this.session = session;
        this.connected = true;
        session.onState((state) => this.sessionOnState(session, state.name));
        if (attempts > 0) this.options.log.info({ attempts }, 'ZooKeeper session open again; re-reading the Redis master');
        await this.read(session);
        return;
      } catch (err) {
        attempts++;
        // Every 10th attempt, so a long ZooKeeper outage does not flood the log.
        if (attempts === 1 || attempts % 10 === 0) {
          this.options.log.warn({ err: (err as Error).message, attempts, keeping: this.record?.master ?? null }, 'cannot read the Redis master from ZooKeeper; retrying');
        }
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }

  private sessionOnState(session: DiscoverySession, state: string): void {
    if (session !== this.session || this.closed) return;
    this.connected = state === 'SYNC_CONNECTED';
    if (state === 'SYNC_CONNECTED') {
      // Watches survive a reconnect within the session, but a change may have raced the gap.
      this.read(session).catch((err) => this.readFailed(session, err));
    } else if (state === 'DISCONNECTED') {
      this.options.log.warn({ keeping: this.record?.master ?? null }, 'ZooKeeper connection lost; keeping the last known Redis master');
    } else if (state === 'EXPIRED') {
      this.options.log.warn({ keeping: this.record?.master ?? null }, 'ZooKeeper session expired; keeping the last known Redis master and opening a new session');
      this.replaceSession(session);
    }
  }

  private replaceSession(session: DiscoverySession): void {
    if (session !== this.session || this.closed) return;
    session.close();
    this.session = null;
    this.connected = false;
    this.started = this.openSession();
  }

  private readFailed(session: DiscoverySession, err: unknown): void {
    if (session !== this.session || this.closed) return;
    this.options.log.warn({ err: (err as Error).message }, 'reading the Redis master failed; opening a new ZooKeeper session');
    this.replaceSession(session);
  }

  /**
   * Reads with a watch that triggers the next read. An absent znode takes its watch through
   * `exists` (ZooKeeper sets no watch on a getData that finds nothing), and is read again if it
   * appeared between the two calls.
   */
  private async read(session: DiscoverySession): Promise<void> {
    let fired = false;
    // One-shot even when both the data and the exists watch report the same change.
    const rearm = () => {
      if (fired || session !== this.session || this.closed) return;
      fired = true;
      this.read(session).catch((err) => this.readFailed(session, err));
    };
    const found = await session.getData(this.path, rearm);
    // An empty znode is one being created (mkdirp, then setData): wait for its data.
    if (found?.data.length === 0) return;
    if (found) {
      this.accept(found.data);
      return;
    }
    if (await session.exists(this.path, rearm)) {
      const again = await session.getData(this.path);
      if (again) this.accept(again.data);
    } else if (!this.record) {
      this.options.log.info({ path: this.path }, 'no Redis master published yet; waiting for the failover managers');
    }
  }

  private accept(data: Buffer): void {
    const record = parseMasterRecord(data);
    if (record instanceof Error) {
      this.options.log.error({ err: record.message }, 'ignoring an unreadable master record');
      return;
    }
    const previous = this.record;
    if (previous && record.epoch <= previous.epoch) {
      if (record.epoch < previous.epoch) this.options.log.warn({ epoch: record.epoch, current: previous.epoch }, 'ignoring a master record older than the one in use');
      return;
    }
    this.record = record;
    this.options.log.info({ master: record.master, epoch: record.epoch, previous: previous?.master ?? null, reason: record.reason }, 'Redis master');
    for (const listener of [...this.listeners]) {
      try {
        listener(record, previous);
      } catch (err) {
        this.options.log.error({ err }, 'a master change listener failed');
      }
    }
    for (const waiter of this.waiters) waiter(record);
    this.waiters.clear();
  }
}
