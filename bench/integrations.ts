/**
 * `npm run bench:integrations` (issue 12 point 10): items per second into one flow through each
 * integration path, beside a member's plain REST chat post in the same run — flow-token
 * `POST /messages`, the v1 team-inbox push, an RSS feed and a Twitter search (a local HTTPS
 * stand-in, its self-signed certificate trusted through OUTBOUND_CA_FILE) and mail to the flow's
 * address through the SMTP receiver (pooled nodemailer connections; a 250 means stored). docs/benchmarks.md.
 */
import { handleHelpAndUnknown } from './cli-flags';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { startServices } from '../cli/start';
import { loadConfig } from '../core/config';
import { flowAddress } from '../core/integrations/mail-address';
import { silentLog } from '../core/log';
import { freePort } from '../infra/process/service-readiness';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { migrate } from '../infra/postgres/migrate';
import { fmtInt, nowMs, table } from './stats';

const ITEMS = Number(process.env.BENCH_INTEGRATION_ITEMS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_INTEGRATION_CONCURRENCY ?? 16);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** ITEMS jobs, CONCURRENCY in flight. */
async function inFlight(job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < ITEMS) await job(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = nowMs();
  await run();
  return ITEMS / ((nowMs() - started) / 1000);
}

async function main(): Promise<void> {
  handleHelpAndUnknown(process.argv.slice(2), 'npm run bench:integrations', 'Items per second through each integration path (flow-token POST, v1 push, RSS, Twitter, mail in) beside a REST chat post; BENCH_INTEGRATION_ITEMS (500) items, BENCH_INTEGRATION_CONCURRENCY (16) in flight. No flags; set those variables.', []);
  const dir = mkdtempSync(join(tmpdir(), 'bench-integrations-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  // The remote ends: a feed and a search that are empty until `published` items appear.
  let published = 0;
  const feed = createHttp((_req, res) => {
    const items = Array.from({ length: published }, (_, i) => `<item><title>Item ${i}</title><guid>item-${i}</guid><link>https://feed.example.test/${i}</link></item>`).join('');
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>${items}</channel></rss>`);
  });
  const search = createHttps({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const params = new URL(req.url ?? '/', 'https://x').searchParams;
    const sinceId = BigInt(params.get('since_id') ?? '0');
    const page = Number(params.get('next_token') ?? 0);
    const newer = Array.from({ length: published }, (_, i) => BigInt(i + 1)).filter((id) => id > sinceId).reverse();
    const data = newer.slice(page * 100, page * 100 + 100).map((id) => ({ id: String(id), text: `Tweet ${id}`, author_id: '1' }));
    const nextToken = newer.length > (page + 1) * 100 ? { next_token: String(page + 1) } : {};
    res.writeHead(200, { 'content-type': 'application/json', 'x-rate-limit-remaining': '450', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900) })
      .end(JSON.stringify({ ...(data.length ? { data, includes: { users: [{ id: '1', name: 'Bench', username: 'bench' }] } } : {}), meta: { result_count: data.length, ...nextToken, ...(data.length ? { newest_id: data[0]!.id, oldest_id: data.at(-1)!.id } : {}) } }));
  });
  await Promise.all([feed, search].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  const port = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;

  const smtpPort = await freePort();
  const dbName = `trib_bench_int_${randomBytes(5).toString('hex')}`;
  const admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const pool = new Pool({ connectionString: dbUrl.toString(), max: 4 });
  await migrate(pool);
  const directory = new PostgresDirectory(pool);
  const org = await directory.createOrganization('Bench');
  const flow = await directory.createFlow(org.id, 'Inbox');
  const user = await directory.createUser({ email: 'bench@example.test', password: 'bench-password', nick: 'bench' });
  await directory.addOrganizationMember(org.id, user.id, true);
  await directory.addFlowMember(flow.id, user.id);
  const auth = `Basic ${Buffer.from(`${await directory.createApiToken(user.id)}:`).toString('base64')}`;
  const running = await startServices('all', loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: dbUrl.toString(), REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `bench-int-${dbName}:`,
    LOG_LEVEL: 'silent', DEMO: 'off', RATE_LIMIT: '1000000', OUTBOUND_ALLOW: '127.0.0.1', SOURCE_MIN_INTERVAL_S: '0.05',
    SOURCE_SECRET_KEY: randomBytes(32).toString('base64'), TWITTER_API_URL: `https://127.0.0.1:${port(search)}`, OUTBOUND_CA_FILE: join(dir, 'cert.pem'),
    SMTP_PORT: String(smtpPort), MAIL_DOMAIN: 'mail.bench.test',
  }), silentLog());
  const base = `http://127.0.0.1:${running.port}`;
  const flowPath = `${org.parameterizedName}/${flow.parameterizedName}`;
  const call = async (method: string, path: string, body: unknown, headers: Record<string, string> = { authorization: auth }) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? null : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const source = (body: unknown) => call('POST', `/flows/${flowPath}/sources`, body);
  const postedBy = async (id: unknown) => ((await call('GET', `/flows/${flowPath}/sources/${id}`, undefined)).status as { items_posted: number } | null)?.items_posted ?? -1;
  /** A pull source: its first run finds nothing (no first-run rule to trim), then ITEMS appear; time until all are posted. */
  const pulled = async (created: Record<string, unknown>) => {
    while ((await postedBy(created.id)) < 0) await new Promise((r) => setTimeout(r, 20));
    return timed(async () => {
      published = ITEMS;
      while ((await postedBy(created.id)) < ITEMS) await new Promise((r) => setTimeout(r, 20));
    });
  };

  const rows: string[][] = [['path', 'items', 'items/s']];
  const row = (name: string, perSecond: number) => rows.push([name, fmtInt(ITEMS), fmtInt(perSecond)]);
  try {
    row('peer: member REST chat post', await timed(() => inFlight((i) => call('POST', `/flows/${flowPath}/messages`, { event: 'message', content: `chat ${i}` }).then(() => undefined))));
    const push = await source({ name: 'Push' });
    const token = String(push.flow_token);
    row('flow-token POST /messages', await timed(() => inFlight((i) => call('POST', '/messages', { flow_token: token, event: 'activity', author: { name: 'CI' }, title: `build ${i}`, external_thread_id: `t${i}`, thread: { title: `Build ${i}` } }, {}).then(() => undefined))));
    row('v1 push team_inbox', await timed(() => inFlight((i) => call('POST', `/v1/messages/team_inbox/${token}`, { source: 'CI', from_address: 'ci@example.test', subject: `Build ${i}`, content: 'ok' }, {}).then(() => undefined))));
    published = 0;
    row('RSS feed (worker)', await pulled(await source({ name: 'Feed', type: 'rss', config: { url: `http://127.0.0.1:${port(feed)}/feed.xml`, interval_s: 0.05 } })));
    published = 0;
    row('Twitter search (worker, HTTPS stand-in)', await pulled(await source({ name: 'Search', type: 'twitter', config: { query: 'bench', bearer_token: 'bench-token', interval_s: 0.05 } })));
    const smtp = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: CONCURRENCY, maxMessages: Infinity });
    const address = flowAddress(org.parameterizedName, flow.parameterizedName, 'mail.bench.test');
    row('mail in (SMTP, 250 = stored)', await timed(() => inFlight((i) => smtp.sendMail({ from: 'ci@outside.test', to: address, subject: `Build ${i}`, text: 'ok', messageId: `<bench-${i}@outside.test>` }).then(() => undefined))));
    smtp.close();
    console.log(`Integrations: ${ITEMS} items into one flow each (push paths ${CONCURRENCY} in flight)\n${table(rows)}`);
  } finally {
    await running.stop();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    feed.close();
    search.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
