/**
 * Fails the run early, and clearly, when a server the tests need is not reachable.
 * `npm test` (scripts/test.js) brings them up first; this guards a bare `npx jest`.
 */
const net = require('node:net');

function reachable(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 }, () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
    s.on('timeout', () => { s.destroy(); resolve(false); });
  });
}

module.exports = async () => {
  // Every Redis command then carries its caller's stack (infra/redis/redis-client.ts): an unhandled
  // "Connection is closed." names the code that left a command unawaited, whichever test it lands in.
  process.env.TRIBUTARY_REDIS_CALLER_STACKS ??= '1';
  const pg = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const missing = [];
  if (!(await reachable(pg.hostname, Number(pg.port || 5432)))) missing.push(`PostgreSQL at ${pg.host}`);
  if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) missing.push(`Redis at ${redis.host}`);
  if (missing.length) throw new Error(`Tests need real servers that are not running: ${missing.join(', ')}. Run \`npm test\`, which starts them.`);
  if (!process.env.MONGO_URL) {
    console.warn('\n*** MONGO_URL is not set: the MongoDB message store engine is SKIPPED (no MongoDB server on this machine). ***\n');
  }
};
