#!/usr/bin/env node
// Wall time of a command, run N times in a row: each run's seconds, then the median.
// Used for the CLI start-up figures in docs/benchmarks.md ("CLI start-up and a no-op converge").
//   node scripts/time-cli.js [--runs N] -- node bin/tributary.js --help
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const split = args.indexOf('--');
const command = split === -1 ? [] : args.slice(split + 1);
const runsAt = args.indexOf('--runs');
const runs = runsAt !== -1 && runsAt < split ? Number(args[runsAt + 1]) : 5;
if (command.length === 0 || !(Number.isInteger(runs) && runs > 0)) {
  process.stderr.write('usage: node scripts/time-cli.js [--runs N] -- COMMAND [ARGS...]\n');
  process.exit(2);
}

const seconds = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const took = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) {
    process.stderr.write(`run ${i + 1} exited ${run.status ?? run.signal}:\n${run.stderr}`);
    process.exit(1);
  }
  seconds.push(took);
}
const sorted = [...seconds].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
process.stdout.write(`${command.join(' ')}\n  runs: ${seconds.map((s) => s.toFixed(2)).join(' ')} s\n  median of ${runs}: ${median.toFixed(2)} s\n`);
