/**
 * How long the fuzz suite runs: `npm test` uses a fixed seed and a bounded number of runs so that
 * CI is repeatable; `npm run fuzz` sets FUZZ_SEED to a random seed (printed) and FUZZ_RUNS higher.
 */

export interface FuzzSettings {
  seed: number;
  /** Property runs per property (each run is one request or one frame sequence). */
  runs: number;
}

export function fuzzSettings(): FuzzSettings {
  const seed = Number(process.env.FUZZ_SEED ?? 20261130);
  const runs = Number(process.env.FUZZ_RUNS ?? 250);
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`FUZZ_SEED and FUZZ_RUNS must be integers (got ${process.env.FUZZ_SEED}, ${process.env.FUZZ_RUNS})`);
  }
  return { seed, runs };
}
