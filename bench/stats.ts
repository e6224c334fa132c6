/** Latency histograms (0.1 ms buckets, mergeable across processes), percentiles and number formatting for the benchmark. */

/** Bucket width in ms; latencies are recorded to this resolution. */
const RESOLUTION_MS = 0.1;
/** Latencies above this (ms) land in the last bucket. */
const MAX_MS = 60_000;
const BUCKETS = Math.ceil(MAX_MS / RESOLUTION_MS) + 1;

/** Sparse form of a histogram, small enough to send over IPC: [bucket, count] pairs. */
export type SparseHistogram = [number, number][];

/** Counts latencies in fixed 0.1 ms buckets; exact counts, percentiles to 0.1 ms. */
export class Histogram {
  private counts = new Uint32Array(BUCKETS);
  count = 0;
  private maxMs = 0;

  record(ms: number): void {
    const v = Math.max(ms, 0);
    const bucket = Math.min(BUCKETS - 1, Math.floor(v / RESOLUTION_MS));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.count++;
    if (v > this.maxMs) this.maxMs = v;
  }

  /** The value (ms) below which `p` (0..100) percent of the samples lie; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min((i + 1) * RESOLUTION_MS, this.maxMs);
    }
    return this.maxMs;
  }

  max(): number {
    return this.count ? this.maxMs : Number.NaN;
  }

  toSparse(): SparseHistogram {
    const out: SparseHistogram = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) out.push([i, this.counts[i]!]);
    return out;
  }

  addSparse(sparse: SparseHistogram): void {
    for (const [bucket, n] of sparse) {
      this.counts[bucket] = (this.counts[bucket] ?? 0) + n;
      this.count += n;
      const top = (bucket + 1) * RESOLUTION_MS;
      if (top > this.maxMs) this.maxMs = Math.min(top, MAX_MS);
    }
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}

/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** 1234567 → "1 234 567"; NaN → "—". */
export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Latency in ms with a sensible number of digits. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return ms.toFixed(1);
  return fmtInt(ms);
}

/** The finite values, ascending. */
const finiteSorted = (values: number[]): number[] => values.filter(Number.isFinite).sort((a, b) => a - b);

/** Median of the finite values (the lower middle one of an even count); NaN when there are none. */
export function median(values: number[]): number {
  const sorted = finiteSorted(values);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : Number.NaN;
}

/** "median [min–max]" of a figure over repeated rounds (just the figure for one round). */
export function spread(values: number[], fmt: (n: number) => string): string {
  const sorted = finiteSorted(values);
  if (sorted.length === 0) return '—';
  return sorted.length === 1 ? fmt(sorted[0]!) : `${fmt(median(sorted))} [${fmt(sorted[0]!)}–${fmt(sorted.at(-1)!)}]`;
}

/** a/b as "3.2×"; "—" when undefined. */
export function fmtRatio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  return `${(a / b).toFixed(2)}×`;
}

/** Renders rows as an aligned plain-text table (first row is the header). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
