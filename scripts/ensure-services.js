#!/usr/bin/env node
/**
 * Makes sure the servers the tests need are running on 127.0.0.1: PostgreSQL (5432, trust auth)
 * and Redis (6379). Installs them from Debian's packages when missing and starts them. Idempotent;
 * a no-op when both already answer. (The provisioning tool's `test-services` role will take this over.)
 */
const net = require('node:net');
const { execSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');

const sh = (cmd) => execSync(cmd, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

function reachable(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, timeout: 1000 }, () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
    s.on('timeout', () => { s.destroy(); resolve(false); });
  });
}

async function waitFor(port, what, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await reachable(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up on 127.0.0.1:${port}`);
}

let aptUpdated = false;
function aptInstall(...packages) {
  if (!aptUpdated) { sh('apt-get update -qq'); aptUpdated = true; }
  sh(`apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`);
}

async function ensurePostgres() {
  if (await reachable(5432)) return;
  if (!existsSync('/etc/postgresql')) aptInstall('postgresql');
  const version = readdirSync('/etc/postgresql')[0];
  console.log(`starting PostgreSQL ${version}`);
  sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
  await waitFor(5432, 'PostgreSQL');
}

async function ensureRedis() {
  if (await reachable(6379)) return;
  if (!existsSync('/usr/bin/redis-server')) aptInstall('redis-server');
  console.log('starting Redis');
  sh('mkdir -p /var/lib/redis /var/log/redis');
  sh('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log');
  await waitFor(6379, 'Redis');
}

module.exports = async function ensureServices() {
  await ensurePostgres();
  await ensureRedis();
};

if (require.main === module) module.exports().catch((err) => { console.error(err.message); process.exit(1); });
