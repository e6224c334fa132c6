/**
 * The sessions of the session kinds (the IRC bridge) that one worker runs: one per source whose
 * lease it holds — started when it wins the lease, restarted when the source's flow or config
 * changes, stopped when the lease is lost, the source deleted or the worker stops. Each session's
 * reports are written through as the source's status and bookmark, fenced by the lease
 * (SourceRuns.recordSession), so a worker taking the source over resumes where this one left off.
 * A session whose lease was not renewed for a whole lease period (its worker stalled on the
 * database) stops itself: two workers must never relay the same source at once.
 */
import type { PostDeps } from '../../core/actions/submit-post';
import type { Source } from '../../core/domain/source';
import { sourceKind } from '../../core/integrations/source-kinds';
import { openSecrets } from '../../core/integrations/source-secrets';
import type { Log } from '../../core/log';
import type { SourceRuns } from '../../core/ports/source-runs';
import { newBreaker, type OutboundSettings, sourceOutbound } from '../outbound/source-outbound';
import type { SessionReport, SessionRunner, SourceSession } from '../source-runner';
import { delayS, type ScheduleSettings } from './schedule';

export interface SessionSettings extends ScheduleSettings {
  holder: string;
  leaseMs: number;
  secretKey?: Buffer;
  outbound: OutboundSettings;
}

/** Writes a session's reports, the latest only when they come faster than Postgres answers. */
class ReportWriter {
  private pending: SessionReport | null = null;
  private writing: Promise<void> | null = null;
  /** `posted` as last written: the store adds the difference. */
  private postedWritten = 0;

  constructor(
    private readonly sourceId: number,
    private readonly runs: SourceRuns,
    private readonly settings: SessionSettings,
    private readonly log: Log,
    private readonly onFenced: () => void,
  ) {}

  /** Settles once `report`, or a newer one pushed meanwhile, is written (or the write failed, logged). */
  push(report: SessionReport): Promise<void> {
    this.pending = report;
    this.writing ??= this.drain();
    return this.writing;
  }

  private async drain(): Promise<void> {
    try {
      for (let report = this.pending; report; report = this.pending) {
        this.pending = null;
        const written = await this.runs.recordSession(this.sourceId, this.settings.holder, {
          ok: report.ok, error: report.error, failures: report.failures, cursor: report.cursor, postedDelta: report.posted - this.postedWritten, nextRunAt: report.nextRunAt,
        }).catch((err: unknown) => {
          // Kept for the next report, which writes the newer state anyway (the cursor only moves on).
          this.log.warn({ err, source: this.sourceId }, 'could not record the progress of a source session');
          return true;
        });
        if (!written) return this.onFenced();
        this.postedWritten = report.posted;
      }
    } finally {
      this.writing = null;
    }
  }

  flush(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }
}

interface Kept {
  /** The source as it was started: a change of flow or config restarts the session. */
  fingerprint: string;
  /** Resolves once started (null when the start failed). */
  session: Promise<SourceSession | null>;
  writer: ReportWriter;
  renewedAt: number;
}

const fingerprintOf = (source: Source): string => JSON.stringify([source.flowId, source.config]);

export class SourceSessions {
  private readonly kept = new Map<number, Kept>();
  /** Sources whose session failed to start: not tried again before `at`. */
  private readonly failedStarts = new Map<number, { at: number; failures: number }>();
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly deps: { parts: PostDeps; runs: SourceRuns; log: Log },
    private readonly settings: SessionSettings,
  ) {
    this.watchdog = setInterval(() => this.endUnrenewed(), Math.max(50, settings.leaseMs / 4));
    this.watchdog.unref();
  }

  /** The sources with a session here. */
  running(): number[] {
    return [...this.kept.keys()];
  }

  /** Called each time the worker renewed `source`'s lease: starts its session if none runs, restarts it if the source changed. */
  async keep(source: Source, runner: SessionRunner): Promise<void> {
    const kept = this.kept.get(source.id);
    if (kept && kept.fingerprint === fingerprintOf(source)) {
      kept.renewedAt = Date.now();
      return;
    }
    if (kept) {
      this.deps.log.info({ source: source.id }, 'the source changed; restarting its session');
      await this.end(source.id);
    }
    const failed = this.failedStarts.get(source.id);
    if (failed && failed.at > Date.now()) return;
    this.begin(source, runner, failed?.failures ?? 0);
  }

  private begin(source: Source, runner: SessionRunner, failures: number): void {
    const writer = new ReportWriter(source.id, this.deps.runs, this.settings, this.deps.log, () => {
      this.deps.log.warn({ source: source.id }, 'another worker holds the source now; ending its session here');
      this.endInBackground(source.id);
    });
    const kept: Kept = { fingerprint: fingerprintOf(source), session: Promise.resolve(null), writer, renewedAt: Date.now() };
    this.kept.set(source.id, kept);
    kept.session = this.start(source, runner, writer, failures).then((session) => {
      if (!session && this.kept.get(source.id) === kept) this.kept.delete(source.id);
      return session;
    });
  }

  /** The session, or null when it could not start: then the error is in the source's status and the next try backs off. */
  private async start(source: Source, runner: SessionRunner, writer: ReportWriter, failures: number): Promise<SourceSession | null> {
    try {
      const config = openSecrets(sourceKind(source.type)!, source.config ?? {}, this.settings.secretKey);
      const cursor = (await this.deps.runs.state(source.id))?.cursor ?? null;
      // A session backs off by itself; the breaker is there only for what else the outbound does.
      const outbound = sourceOutbound(this.settings.outbound, newBreaker(this.settings.outbound.breakerOpenMs));
      const session = await runner.start({ source, config, cursor, parts: this.deps.parts, outbound, log: this.deps.log, report: (r) => writer.push(r) });
      this.failedStarts.delete(source.id);
      return session;
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      const retryS = delayS(this.settings.minIntervalS, failures + 1, this.settings);
      this.failedStarts.set(source.id, { at: Date.now() + retryS * 1000, failures: failures + 1 });
      void writer.push({ ok: false, error, failures: failures + 1, cursor: null, posted: 0, nextRunAt: new Date(Date.now() + retryS * 1000) });
      return null;
    }
  }

  /** Stops the source's session, if it has one here, and writes its last report. */
  async end(sourceId: number): Promise<void> {
    const kept = this.kept.get(sourceId);
    if (!kept) return;
    this.kept.delete(sourceId);
    await (await kept.session)?.stop();
    await kept.writer.flush();
  }

  /** `end` from a callback or a timer nobody awaits: a session's stop that fails is logged, not left an unhandled rejection. */
  private endInBackground(sourceId: number): void {
    this.end(sourceId).catch((err: unknown) => this.deps.log.error({ err, source: sourceId }, 'ending the session of a source failed'));
  }

  private endUnrenewed(): void {
    for (const [id, kept] of this.kept) {
      if (Date.now() - kept.renewedAt <= this.settings.leaseMs) continue;
      this.deps.log.warn({ source: id }, 'the lease of a source was not renewed in time; ending its session');
      this.endInBackground(id);
    }
  }

  async endAll(): Promise<void> {
    clearInterval(this.watchdog);
    await Promise.all([...this.kept.keys()].map((id) => this.end(id)));
  }
}
