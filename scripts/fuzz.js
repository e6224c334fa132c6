#!/usr/bin/env node
/**
 * `npm run fuzz`: the API fuzz suite for longer, with a random seed (printed, so a failure can be
 * replayed with `FUZZ_SEED=<seed> npm run fuzz`). Needs the servers `npm test` brings up.
 * FUZZ_RUNS sets the runs per property (default 2000).
 */
const { spawnSync } = require('node:child_process');

const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FUZZ_RUNS ?? '2000';
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} (replay a failure with FUZZ_SEED=${seed} npm run fuzz)`);
const r = spawnSync('npx', ['jest', '--maxWorkers=1', 'test/fuzz', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});
console.log(`fuzz: FUZZ_SEED=${seed} ${r.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(r.status ?? 1);
