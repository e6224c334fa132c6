/** When a source runs next: its interval (never below the minimum) after a success; after failures, an exponential backoff, capped. */

export interface ScheduleSettings {
  /** SOURCE_MIN_INTERVAL_S. */
  minIntervalS: number;
  /** The longest wait after failures (a source with a longer interval waits its interval). */
  backoffMaxS: number;
}

/** The interval a source polls at: what its config asks, raised to the minimum. */
export function effectiveIntervalS(askedS: number, settings: ScheduleSettings): number {
  return Math.max(askedS, settings.minIntervalS);
}

/** Seconds until the next run: the interval after a success; interval × 2^failures after failures, at most max(interval, backoffMaxS). */
export function delayS(intervalS: number, failures: number, settings: ScheduleSettings): number {
  if (failures === 0) return intervalS;
  return Math.min(intervalS * 2 ** Math.min(failures, 30), Math.max(intervalS, settings.backoffMaxS));
}
