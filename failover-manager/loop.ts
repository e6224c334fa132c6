/** The manager's only actor: each tick checks the nodes, reads ZooKeeper, decides, acts, and says what it did in one sentence. */
import type { ManagerView, MasterRecord, NodeObservation } from '../core/discovery/failover-state';
import type { Log } from '../core/log';
import { act } from './act';
import type { Coordinator, CoordinatorSnapshot } from './coordinator';
import { decide } from './decide';
import type { Versioned } from './failover-znodes';
import type { ActDeps } from './master-moves';
import type { NodeChecker } from './node-checker';
import { replicationLag } from './replication-lag';

/** Timing and identity of the loop. */
export interface LoopOptions {
  managerId: string;
  intervalMs: number;
  downAfterChecks: number;
  /** How many recent sentences `status()` keeps. */
  keepSentences?: number;
}

/** What the JSON endpoint shows: the loop's latest snapshot, never a read of its own. */
export interface LoopStatus {
  managerId: string;
  leader: string | null;
  isLeader: boolean;
  master: string | null;
  epoch: number | null;
  nodes: { address: string; role: NodeObservation['role']; up: boolean; offset: number; lag: number | null; failures: number }[];
  lastActions: string[];
}

const VIEW_REFRESH_MS = 1000;

export class FailoverLoop {
  private stopped = true;
  private woken = false;
  private wakeSleep: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private snapshot: CoordinatorSnapshot | null = null;
  private readonly sentences: string[] = [];
  private lastView = { key: '', at: 0 };

  constructor(
    private readonly options: LoopOptions,
    private readonly deps: ActDeps & { checker: NodeChecker; coordinator: Coordinator; log: Log },
  ) {}

  start(): void {
    this.stopped = false;
    this.running = this.run();
  }

  /** Ends the loop after the tick in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  /** Runs the next tick now (the API's recorded intent, a session change, a predecessor gone). */
  wake(): void {
    this.woken = true;
    this.wakeSleep?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      this.woken = false;
      const sentence = await this.tick().catch((err: unknown) => `tick failed, nothing done: ${(err as Error).message}`);
      this.remember(sentence);
      const rest = this.options.intervalMs - (Date.now() - started);
      if (!this.woken && !this.stopped && rest > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, rest);
          this.wakeSleep = () => { clearTimeout(timer); resolve(); };
        });
        this.wakeSleep = null;
      }
    }
  }

  /** One tick: snapshot (own checks, ZooKeeper), decide, act; followers only report. */
  private async tick(): Promise<string> {
    const { checker, coordinator, metrics } = this.deps;
    const now = Date.now();
    await checker.checkAll(now);
    for (const [node, o] of Object.entries(checker.observations())) metrics.nodeUp.set({ node }, o.up ? 1 : 0);
    metrics.zookeeperConnected.set(coordinator.isConnected ? 1 : 0);
    let snapshot: CoordinatorSnapshot;
    try {
      snapshot = await coordinator.snapshot();
    } catch (err) {
      this.snapshot = null;
      metrics.isLeader.set(0);
      return `not acting: ZooKeeper unavailable (${(err as Error).message})`;
    }
    this.snapshot = snapshot;
    metrics.isLeader.set(snapshot.isLeader ? 1 : 0);
    if (snapshot.record) {
      metrics.epoch.set(snapshot.record.value.epoch);
      for (const node of checker.nodes) metrics.master.set({ node }, node === snapshot.record.value.master ? 1 : 0);
    }
    await this.publishView(now);
    if (!snapshot.isLeader) return `following leader ${snapshot.leaderId}; master ${snapshot.record?.value.master ?? 'not recorded yet'}`;
    const plan = decide({
      now, managerId: this.options.managerId, nodes: checker.nodes, own: checker.observations(), firstFailureAt: (n) => checker.firstFailureAt(n),
      downAfterChecks: this.options.downAfterChecks, viewFreshMs: 3 * this.options.intervalMs + 1000, managers: snapshot.members.length,
      views: snapshot.views, record: snapshot.record, request: snapshot.request && { target: snapshot.request.value.target, version: snapshot.request.version },
    });
    return act(plan, snapshot.record, this.deps);
  }

  /** Writes our view when what it says changed, or every second so that others see it is fresh. */
  private async publishView(now: number): Promise<void> {
    const nodes = this.deps.checker.observations();
    const lastAction = this.sentences.at(-1)?.replace(/^\S+ /, '');
    const key = JSON.stringify([Object.values(nodes).map((o) => [o.up, o.role, o.following, o.linkUp, o.replId, o.runId]), lastAction]);
    if (key === this.lastView.key && now - this.lastView.at < VIEW_REFRESH_MS) return;
    const view: ManagerView = { managerId: this.options.managerId, at: now, nodes, lastAction };
    await this.deps.coordinator.writeView(view);
    this.lastView = { key, at: now };
  }

  /** Keeps the sentence (a repeat of the last one is not kept again) and logs it when it is new. */
  private remember(sentence: string): void {
    if (this.sentences.at(-1)?.replace(/^\S+ /, '') === sentence) return;
    this.sentences.push(`${new Date().toISOString()} ${sentence}`);
    if (this.sentences.length > (this.options.keepSentences ?? 50)) this.sentences.shift();
    const loud = /^(FAILOVER|SWITCH-OVER|MASTER)/.test(sentence);
    this.deps.log[loud ? 'warn' : 'info']({ component: 'failover-loop' }, sentence);
  }

  /** The latest state, for the JSON endpoint. */
  status(): LoopStatus {
    const record: Versioned<MasterRecord> | null = this.snapshot?.record ?? null;
    const own = this.deps.checker.observations();
    return {
      managerId: this.options.managerId,
      leader: this.snapshot?.leaderId ?? null,
      isLeader: this.snapshot?.isLeader ?? false,
      master: record?.value.master ?? null,
      epoch: record?.value.epoch ?? null,
      nodes: Object.entries(own).map(([address, o]) => ({
        address, role: o.role, up: o.up, offset: o.offset, failures: o.failures, lag: replicationLag(own, record?.value.master ?? null, address),
      })),
      lastActions: [...this.sentences],
    };
  }
}
