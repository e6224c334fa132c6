/**
 * Showing a run: a redrawn progress line on a terminal, one line per resource otherwise, or one
 * JSON document; each resource with its time, a changed file with its diff, a long wait with a
 * line saying what it waits for.
 */
import type { ResourceReport, RunObserver, RunReport } from './runner';

/** Where the report goes (process.stdout, or a collector in tests). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Counts of a run. */
export interface Summary {
  changed: number;
  upToDate: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/** Counts a run's entries; why-run's would-be changes count as changed. */
export function summarize(report: RunReport): Summary {
  const count = (...statuses: ResourceReport['status'][]) => report.resources.filter((entry) => statuses.includes(entry.status)).length;
  return { changed: count('changed', 'would-change'), upToDate: count('up-to-date'), failed: count('failed'), skipped: count('skipped'), seconds: Math.round(report.seconds * 100) / 100 };
}

/** "converged role test-services: 2 changed, 10 up to date, 0 failed in 0.4 s" (or why-run's / a failure's). */
export function summaryLine(role: string, report: RunReport): string {
  const s = summarize(report);
  const counts = `${s.upToDate} up to date, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''} in ${s.seconds.toFixed(1)} s`;
  if (report.whyRun) return `why-run of role ${role}: would change ${s.changed}, ${counts}`;
  return `${report.failed ? `converge of role ${role} FAILED` : `converged role ${role}`}: ${s.changed} changed, ${counts}`;
}

/** How long a resource took, after its line: "(0.31 s)". */
const took = (entry: ResourceReport): string => ` (${entry.seconds.toFixed(2)} s)`;

/** The plain lines for one finished entry: what happened and its time, the diff indented under it, the error. */
export function entryLines(entry: ResourceReport): string[] {
  const by = entry.notifiedBy ? ` (${entry.action}, notified by ${entry.notifiedBy})` : '';
  const lines = [];
  if (entry.status === 'up-to-date') lines.push(`${entry.id}${by} up to date${entry.note ? ` (${entry.note})` : took(entry)}`);
  else if (entry.changes.length > 0) lines.push(`${entry.id}${by} ${entry.status === 'would-change' ? 'would change' : 'changed'}: ${entry.changes.join('; ')}${took(entry)}`);
  for (const line of entry.diff ?? []) lines.push(`    ${line}`);
  if (entry.error) lines.push(entry.error);
  return lines;
}

/** "waiting for service[redis-6390] to answer on 6390 … 3 s" */
export const waitingLine = (id: string, what: string, seconds: number): string => `waiting for ${id} ${what} … ${seconds} s`;

/** Without a terminal to redraw on, a wait gets a line at its first tick (after a second) and then one every 10 s. */
function waitLines(to: Output): NonNullable<RunObserver['waiting']> {
  let current = '';
  let printedAt = 0;
  return (id, what, seconds) => {
    const wait = `${id}\u0000${what}`;
    if (wait === current && seconds - printedAt < 10) return;
    current = wait;
    printedAt = seconds;
    to.write(`${waitingLine(id, what, seconds)}\n`);
  };
}

/** The JSON document `--json` prints. */
export function jsonReport(role: string, report: RunReport): object {
  const { changed, upToDate, failed, skipped, seconds } = summarize(report);
  return { role, whyRun: report.whyRun, resources: report.resources, summary: { changed, upToDate, failed, skipped, seconds } };
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * A RunObserver drawing progress on `out`: redrawn on a terminal, a line per resource otherwise;
 * for JSON nothing on `out` (it holds the document), and long waits told on `err`.
 */
export function progressObserver(out: Output, json: boolean, err: Output = out): RunObserver {
  if (json) return { starting: () => undefined, waiting: waitLines(err), finished: () => undefined };
  if (!out.isTTY) return { starting: () => undefined, waiting: waitLines(out), finished: (entry) => out.write(entryLines(entry).map((l) => `${l}\n`).join('')) };
  return {
    starting: (position, total, id, action) => out.write(`${CLEAR_LINE}[${position}/${total}] ${id}: ${action}`),
    waiting: (id, what, seconds) => out.write(`${CLEAR_LINE}${waitingLine(id, what, seconds)}`),
    // Up-to-date resources only flash by; what changed or failed stays on screen.
    finished: (entry) => {
      if (entry.status !== 'up-to-date') out.write(`${CLEAR_LINE}${entryLines(entry).join('\n')}\n`);
    },
  };
}

/** Ends a run's output: the JSON document (on `out`) and the summary line (on `err` with JSON, else `out`). */
export function finishReport(role: string, report: RunReport, out: Output, err: Output, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify(jsonReport(role, report))}\n`);
    err.write(`${summaryLine(role, report)}\n`);
  } else {
    out.write(`${out.isTTY ? CLEAR_LINE : ''}${summaryLine(role, report)}\n`);
  }
}
