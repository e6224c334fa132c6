#!/usr/bin/env node
/** `npm run bench`: raise the open-files limit (re-exec through bash), build with tsc, then run the compiled benchmark (dist/bench/main.js). */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const WANTED_OPEN_FILES = 65536;

// 10 000 sockets need 10 000 descriptors on each side; the default soft limit is often 1024.
// `ulimit -n` can only be raised for a new process, so re-run this script under bash once,
// asking for 65536 and settling for the hard limit when that is lower.
if (!process.env.TRIBUTARY_BENCH_ULIMIT) {
  const script = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
  const r = spawnSync('bash', ['-c', script, process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TRIBUTARY_BENCH_ULIMIT: '1' },
  });
  process.exit(r.status ?? (r.signal ? 1 : 0));
}

// tsc emits even when files others are editing have type errors; the bench only needs its own output.
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
const entry = join(root, 'dist', 'bench', 'main.js');
if (build.status !== 0) process.stderr.write('bench: tsc reported errors (see above); running what was emitted\n');
if (!existsSync(entry)) {
  process.stderr.write('bench: dist/bench/main.js was not built\n');
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    process.stderr.write(`bench: ${err?.stack ? err.stack : err}\n`);
    process.exit(1);
  });
