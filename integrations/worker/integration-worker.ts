/**
 * An integration worker: every tick it lists the built-in sources, claims (or renews) each one's
 * lease, runs each poll source it holds whose next run is due, and keeps a session open for each
 * session source it holds (source-sessions.ts). Several workers share the sources —
 * a lease is held by one at a time — and a source whose worker died is claimed by another once
 * the lease lapses (SOURCE_LEASE_S). A clean stop finishes the runs in hand and gives its leases back.
 */
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { Log } from '../../core/log';
import type { Metrics } from '../../core/metrics';
import { newBreaker, type OutboundSettings, sourceOutbound } from '../outbound/source-outbound';
import type { Source } from '../../core/domain/source';
import { isSessionRunner, type KindRunner, type SourceRunner, type SourceWatch } from '../source-runner';
import { openedConfig, type RunDeps, type RunSettings, runSource } from './run-source';
import { SourceSessions } from './source-sessions';
import { TickLoop } from './tick-loop';

export interface WorkerSettings extends RunSettings {
  /** Names this worker in the leases: unique per worker (host, pid and a random part). */
  holder: string;
  leaseMs: number;
  outbound: OutboundSettings;
}

export class IntegrationWorker {
  private readonly held = new Set<number>();
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Each source's breaker lives as long as this worker holds the source. */
  private readonly breakers = new Map<number, CircuitBreakerPolicy>();
  /** Watches of held sources whose kind has one (IMAP IDLE), and the sources they woke. */
  private readonly watches = new Map<number, SourceWatch>();
  private readonly woken = new Set<number>();
  private readonly loop: TickLoop;
  private readonly sessions: SourceSessions;

  constructor(
    private readonly deps: RunDeps & { log: Log; metrics: Pick<Metrics, 'sourceRuns' | 'sourceItemsPosted' | 'sourcesHeld'> },
    private readonly runners: Readonly<Record<string, KindRunner>>,
    private readonly settings: WorkerSettings,
  ) {
    this.sessions = new SourceSessions({ parts: deps, runs: deps.runs, log: deps.log }, settings);
    this.loop = new TickLoop(() => this.tick(), () => this.tickMs, (err) => this.deps.log.warn({ err }, 'integration worker tick failed; trying again'));
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  /** Often enough to renew a lease several times before it lapses, and to start a due run within a second. */
  private get tickMs(): number {
    return Math.min(1000, this.settings.leaseMs / 3);
  }

  start(): void {
    this.loop.start();
  }

  /** The sources this worker holds now (for tests and logs). */
  holding(): number[] {
    return [...this.held];
  }

  private async tick(): Promise<void> {
    const sources = (await this.deps.directory.sources.builtInSources()).filter((s) => Object.hasOwn(this.runners, s.type!));
    const live = new Set(sources.map((s) => s.id));
    for (const id of this.held) if (!live.has(id)) await this.letGo(id);
    for (const source of sources) {
      if (this.stopped) return;
      if (!(await this.deps.runs.claim(source.id, this.settings.holder, this.settings.leaseMs))) {
        if (this.held.has(source.id)) this.deps.log.warn({ source: source.id }, 'lost the lease of a source to another worker');
        await this.sessions.end(source.id);
        this.forget(source.id);
        continue;
      }
      if (!this.held.has(source.id)) this.deps.log.info({ source: source.id, type: source.type }, 'claimed a source');
      this.held.add(source.id);
      this.deps.metrics.sourcesHeld.set(this.held.size);
      const runner = this.runners[source.type!]!;
      if (isSessionRunner(runner)) {
        await this.sessions.keep(source, runner);
        continue;
      }
      const breaker = this.breakerOf(source.id);
      this.startWatch(source, runner, breaker);
      if (this.inFlight.has(source.id)) continue;
      const next = (await this.deps.runs.state(source.id))?.nextRunAt;
      if (next && next.getTime() > Date.now() && !this.woken.has(source.id)) continue;
      this.woken.delete(source.id);
      const type = source.type!;
      const run = runSource(this.deps, this.settings, source, runner, sourceOutbound(this.settings.outbound, breaker))
        .then(({ ok, posted }) => {
          this.deps.metrics.sourceRuns.inc({ type, outcome: ok ? 'ok' : 'failed' });
          this.deps.metrics.sourceItemsPosted.inc({ type }, posted);
        })
        .catch((err: unknown) => this.deps.log.warn({ err, source: source.id }, 'could not record the run of a source'))
        .finally(() => this.inFlight.delete(source.id));
      this.inFlight.set(source.id, run);
    }
  }

  private breakerOf(id: number): CircuitBreakerPolicy {
    let breaker = this.breakers.get(id);
    if (!breaker) this.breakers.set(id, (breaker = newBreaker(this.settings.outbound.breakerOpenMs)));
    return breaker;
  }

  /** Starts the watch of a held source whose kind has one, once; a watch that cannot start leaves polling alone. */
  private startWatch(source: Source, runner: SourceRunner, breaker: CircuitBreakerPolicy): void {
    if (!runner.watch || this.watches.has(source.id) || this.stopped) return;
    try {
      this.watches.set(source.id, runner.watch({
        source,
        config: openedConfig(source, this.settings),
        outbound: sourceOutbound(this.settings.outbound, breaker),
        wake: () => this.woken.add(source.id),
        onTrouble: (err) => this.deps.log.info({ err, source: source.id }, 'the watch of a source is down; polling meanwhile'),
      }));
    } catch (err) {
      this.deps.log.warn({ err, source: source.id }, 'could not watch a source; polling it');
    }
  }

  private forget(id: number): void {
    this.held.delete(id);
    this.breakers.delete(id);
    this.woken.delete(id);
    const watch = this.watches.get(id);
    this.watches.delete(id);
    watch?.stop().catch((err: unknown) => this.deps.log.warn({ err, source: id }, 'could not stop the watch of a source'));
    this.deps.metrics.sourcesHeld.set(this.held.size);
  }

  private async letGo(id: number): Promise<void> {
    await this.sessions.end(id);
    await this.inFlight.get(id);
    this.forget(id);
    await this.deps.runs.release(id, this.settings.holder);
  }

  /** Stops claiming, waits for the runs in hand, ends the sessions, releases every lease so that another worker takes over at once. */
  async stop(): Promise<void> {
    await this.loop.stop();
    for (const id of [...this.held]) await this.letGo(id);
    await this.sessions.endAll();
    await Promise.all(this.inFlight.values());
  }
}
