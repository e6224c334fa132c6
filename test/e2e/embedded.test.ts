/**
 * The embedded default as a user runs it: `tributary start all` with no DATABASE_URL or
 * REDIS_URL starts embedded Postgres and the in-process bus, seeds a demo login once, and keeps
 * data across a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';
import { freePort } from '../support/processes';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'tributary-embedded-'));
// Postgres runs as the `postgres` user when we are root: it must be able to enter the folder.
chmodSync(dataDir, 0o755);
let pgPort = 0;
const started: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave a server (and its Postgres) behind.
  for (const child of started) if (child.exitCode === null) await stop({ child, port: 0, stdout: () => '' });
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  port: number;
  stdout: () => string;
}

async function startAll(): Promise<Started> {
  const port = await freePort();
  pgPort ||= await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'MONGO_URL']) delete env[key];
  const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), 'start', 'all'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${out}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (ready) return { child, port, stdout: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready:\n${out}`);
}

/** SIGTERM, and the exit code; SIGKILL (and a null code, failing the test) if it does not exit within 15 s. */
async function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
    s.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    s.child.kill('SIGTERM');
  });
}

it('serves a demo login on first start, keeps data across a restart, and exits cleanly on SIGTERM', async () => {
  const first = await startAll();
  const token = /API token: (\w+)/.exec(first.stdout())?.[1];
  expect(token).toBeDefined();
  const auth = `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
  const posted = await fetch(`http://127.0.0.1:${first.port}/flows/demo/main/messages`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'message', content: 'survives restarts' }),
  });
  expect(posted.status).toBe(201);
  expect(await stop(first)).toBe(0);

  const second = await startAll();
  expect(second.stdout()).not.toContain('API token');
  const listed = await fetch(`http://127.0.0.1:${second.port}/flows/demo/main/messages`, { headers: { authorization: auth } }).then((r) => r.json());
  expect(listed.map((m: { content: string }) => m.content)).toEqual(['survives restarts']);
  expect(await stop(second)).toBe(0);
});
