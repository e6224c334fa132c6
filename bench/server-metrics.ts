/** Reads Tributary's Prometheus /metrics to break a run's latency down by stage (mean of a histogram over an interval). */

/** `<name>_sum` and `<name>_count` of every unlabelled histogram on a service. */
export type HistogramTotals = Map<string, { sum: number; count: number }>;

export async function scrapeHistograms(port: number): Promise<HistogramTotals> {
  const totals: HistogramTotals = new Map();
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^(tributary_[a-z_]+)_(sum|count) ([0-9.eE+-]+)$/.exec(line);
      if (!m) continue;
      const entry = totals.get(m[1]!) ?? { sum: 0, count: 0 };
      entry[m[2] as 'sum' | 'count'] = Number(m[3]);
      totals.set(m[1]!, entry);
    }
  } catch {
    // The service is gone or has no /metrics: the breakdown shows "—".
  }
  return totals;
}

/** Mean of histogram `name` between two scrapes (summed over several services); NaN when nothing was observed. */
export function meanBetween(name: string, before: HistogramTotals[], after: HistogramTotals[]): number {
  let sum = 0;
  let count = 0;
  after.forEach((a, i) => {
    const x = a.get(name);
    const y = before[i]?.get(name);
    if (!x) return;
    sum += x.sum - (y?.sum ?? 0);
    count += x.count - (y?.count ?? 0);
  });
  return count > 0 ? sum / count : Number.NaN;
}
