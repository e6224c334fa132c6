/** ClientPool: the orchestrator's handle on the forked client workers; spreads connections over them and merges what they measured. */
import { type ClientCommands, type ClientKind, type ConnectResult, type Progress, WorkerClient } from './ipc';
import { forkWorker } from './processes';
import { Histogram } from './stats';

/** A phase as seen by all workers together. */
export interface MergedPhase {
  delivered: number;
  firstAt: number;
  lastAt: number;
  latency: Histogram;
}

export class ClientPool {
  private opened = 0;

  private constructor(private readonly workers: WorkerClient<ClientCommands>[]) {}

  /** Forks `count` client workers. */
  static start(count: number): ClientPool {
    return new ClientPool(Array.from({ length: count }, () => new WorkerClient<ClientCommands>(forkWorker('client-worker.js'))));
  }

  /** Process ids of the workers, for CPU accounting. */
  get pids(): number[] {
    return this.workers.map((w) => w.child.pid ?? 0).filter(Boolean);
  }

  /** Connections opened so far (successfully). */
  get size(): number {
    return this.opened;
  }

  /**
   * Opens `count` more connections, numbered on from the ones already open (so that adding 9 000 to
   * 1 000 keeps the same spread over urls, tokens and flows), split evenly over the workers.
   */
  async connect(kind: ClientKind, count: number, plan: { urls: string[]; tokens: string[]; flowSets: string[][] }): Promise<ConnectResult> {
    const per = Math.ceil(count / this.workers.length);
    const first = this.opened;
    const results = await Promise.all(
      this.workers.map((w, i) => {
        const n = Math.max(0, Math.min(per, count - i * per));
        // 64 opening at once per worker: enough to keep the server busy, few enough for its accept queue.
        return w.call('connect', { kind, ...plan, first: first + i * per, count: n, concurrency: 64 }, 300_000);
      }),
    );
    const merged = mergeConnect(results);
    this.opened += merged.ok;
    return merged;
  }

  async setPhase(phase: string): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call('phase', { phase })));
  }

  async progress(): Promise<Progress> {
    const all = await Promise.all(this.workers.map((w) => w.call('progress', null)));
    const dropReasons: Record<string, number> = {};
    for (const p of all) for (const [reason, n] of Object.entries(p.dropReasons)) dropReasons[reason] = (dropReasons[reason] ?? 0) + n;
    return all.reduce((a, p) => ({ delivered: a.delivered + p.delivered, lastAt: Math.max(a.lastAt, p.lastAt), open: a.open + p.open, dropped: a.dropped + p.dropped, dropReasons }));
  }

  async stats(phase: string): Promise<MergedPhase> {
    const all = await Promise.all(this.workers.map((w) => w.call('stats', { phase })));
    const latency = new Histogram();
    let delivered = 0;
    let firstAt = Number.POSITIVE_INFINITY;
    let lastAt = 0;
    for (const s of all) {
      latency.addSparse(s.latency);
      delivered += s.delivered;
      if (s.firstAt) firstAt = Math.min(firstAt, s.firstAt);
      lastAt = Math.max(lastAt, s.lastAt);
    }
    return { delivered, firstAt: Number.isFinite(firstAt) ? firstAt : 0, lastAt, latency };
  }

  /** Re-opens what the server dropped. */
  async heal(): Promise<ConnectResult> {
    return mergeConnect(await Promise.all(this.workers.map((w) => w.call('heal', null, 300_000))));
  }

  /**
   * Waits until no event has arrived for `quietMs` (or `capMs` passed); true if it went quiet.
   * With `expected`, returns as soon as that many events arrived in all.
   */
  async waitQuiet(quietMs: number, capMs: number, expected?: { total: number }): Promise<boolean> {
    const until = Date.now() + capMs;
    let last = -1;
    let lastChange = Date.now();
    while (Date.now() < until) {
      const p = await this.progress();
      if (expected && p.delivered >= expected.total) return true;
      if (p.delivered !== last) {
        last = p.delivered;
        lastChange = Date.now();
      } else if (Date.now() - lastChange >= quietMs) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** Closes every connection and stops the workers. */
  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.call('close', null, 30_000)));
    for (const w of this.workers) w.child.kill('SIGTERM');
    this.opened = 0;
  }
}

function mergeConnect(results: ConnectResult[]): ConnectResult {
  return results.reduce((a, r) => ({ ok: a.ok + r.ok, failed: a.failed + r.failed, errors: [...a.errors, ...r.errors].slice(0, 5), ms: Math.max(a.ms, r.ms) }), {
    ok: 0,
    failed: 0,
    errors: [],
    ms: 0,
  });
}
