#!/usr/bin/env node
/**
 * `npm test`: build (the services and the app), bring up every server the tests need by converging the `test-services` role
 * with the project's own provisioning tool (quick when all is up to date), type-check, lint, then
 * run both jest tiers (docs/testing.md): the unit tier first, which fails in seconds, then the
 * integration tier against the real servers.
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('npx', ['tsc', '-p', 'tsconfig.build.json']);
// The browser tests load the app as served: build it from the sources under test.
run('npx', ['vite', 'build', 'client-spa', '--logLevel', 'warn']);
run(process.execPath, [join(__dirname, '..', 'bin', 'tributary.js'), 'provision', 'converge', '--role', 'test-services']);
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('npx', ['tsc', '--noEmit', '-p', 'client-spa']);
run('npx', ['biome', 'lint', '.']);
// Arguments (a path, a name pattern) may select tests of one tier only: the other then has none.
const args = process.argv.length > 2 ? ['--passWithNoTests', ...process.argv.slice(2)] : [];
run('npx', ['jest', '--selectProjects', 'unit', ...args]);
// One suite at a time: the failover and provisioning suites run real servers whose timings a
// second suite on the same two cores would distort.
run('npx', ['jest', '--selectProjects', 'integration', '--maxWorkers=1', ...args]);
