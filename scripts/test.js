#!/usr/bin/env node
/** `npm test`: bring up the servers the tests need, build, type-check and lint, then run every jest suite. */
const { spawnSync } = require('node:child_process');
const ensureServices = require('./ensure-services');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

(async () => {
  await ensureServices();
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  run('npx', ['biome', 'lint', '.']);
  run('npx', ['jest', '--maxWorkers=2', ...process.argv.slice(2)]);
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
