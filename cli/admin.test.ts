/** The admin commands as a script uses them: the built CLI against a real Postgres database. */
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';
import { tributaryOn } from '../test/support/cli';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const tributary = (...args: string[]) => tributaryOn(db.url, args);

it('creates an organization, a user, a flow and a token that authenticates', async () => {
  expect(tributary('org', 'create', 'Big Co', '--json').json()).toMatchObject({ name: 'Big Co', parameterized_name: 'big-co' });
  expect(tributary('user', 'create', '--email', 'ann@big.test', '--password', 'long-enough', '--nick', 'ann', '--json').json()).toMatchObject({ email: 'ann@big.test', nick: 'ann' });
  expect(tributary('org', 'add-user', 'big-co', 'ann@big.test', '--admin', '--json').json()).toMatchObject({ admin: true });
  const flow = tributary('flow', 'create', 'big-co', 'Ops', '--json').json();
  expect(flow.parameterized_name).toBe('ops');
  expect(tributary('flow', 'add-user', 'big-co/ops', 'ann@big.test', '--json').status).toBe(0);
  const { token } = tributary('token', 'create', 'ann@big.test', '--json').json();
  expect(token).toMatch(/^[0-9a-f]{40}$/);
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM flow_members fm JOIN users u ON u.id = fm.user_id WHERE u.email = $1', ['ann@big.test']);
  expect(rows[0].n).toBe(1);
});

it('a bad call exits 2 with the option named (only JSON with --json); a call that fails exits 1; nothing is written', async () => {
  const bad = tributary('user', 'create', '--email', 'not-an-email', '--password', 'short', '--json');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toBe('');
  expect(bad.json().error).toBe('--email: must be an email address; --password: must be at least 8 and at most 1024 characters');
  const human = tributary('user', 'create', '--email', 'not-an-email', '--password', 'long-enough');
  expect(human.stdout).toBe('');
  expect(human.stderr).toContain('tributary: --email: must be an email address');
  expect(human.stderr).toContain('Usage: tributary user create [options]');
  const missing = tributary('flow', 'add-user', 'nope/none', 'ann@big.test');
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('no flow "nope/none"');
  await db.pool.query("UPDATE flows SET disabled = true WHERE parameterized_name = 'ops'");
  const archived = tributary('flow', 'add-user', 'big-co/ops', 'ann@big.test');
  expect(archived.status).toBe(1);
  expect(archived.stderr).toContain('the flow is archived: nobody can join it');
  await db.pool.query("UPDATE flows SET disabled = false WHERE parameterized_name = 'ops'");
  const dup = tributary('org', 'create', 'Big Co');
  expect(dup.status).toBe(1);
  expect(dup.stderr).toContain('name: is already taken');
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM users');
  expect(rows[0].n).toBe(1);
});

it('set-password replaces a password and signs out the user\'s app sessions: the new one logs in, the old one does not; a short one is refused naming --password', async () => {
  expect(tributary('user', 'create', '--email', 'pat@big.test', '--password', 'first-password', '--json').status).toBe(0);
  const short = tributary('user', 'set-password', 'pat@big.test', '--password', 'short', '--json');
  expect(short.status).toBe(2);
  expect(short.json().error).toBe('--password: must be at least 8 and at most 1024 characters');
  const directory = new PostgresDirectory(db.pool);
  const pat = await directory.userByEmail('pat@big.test');
  const session = await directory.sessions.createSession(pat!.id, 60_000, (await directory.authenticatePassword('pat@big.test', 'first-password'))!.passwordVersion);
  expect(tributary('user', 'set-password', 'pat@big.test', '--password', 'second-password', '--json').json()).toMatchObject({ email: 'pat@big.test', password: 'changed', sessions_revoked: 1 });
  expect(await directory.sessions.authenticateSession(session.token)).toBeNull();
  expect(await directory.authenticatePassword('pat@big.test', 'second-password')).toMatchObject({ user: { email: 'pat@big.test' } });
  expect(await directory.authenticatePassword('pat@big.test', 'first-password')).toBeNull();
  expect(tributary('user', 'set-password', 'nobody@big.test', '--password', 'second-password').status).toBe(1);
});

it('set-admin makes a user a site admin and --off withdraws it, saying whether it changed; an unknown email exits 1, a bad one 2', async () => {
  expect(tributary('user', 'create', '--email', 'sre@big.test', '--password', 'sre-password', '--json').status).toBe(0);
  const directory = new PostgresDirectory(db.pool);
  const sre = (await directory.userByEmail('sre@big.test'))!;
  expect(await directory.isSiteAdmin(sre.id)).toBe(false);
  const on = tributary('user', 'set-admin', 'sre@big.test', '--json');
  expect(on.status).toBe(0);
  expect(on.json()).toEqual({ id: sre.id, email: 'sre@big.test', site_admin: true, changed: true });
  expect(await directory.isSiteAdmin(sre.id)).toBe(true);
  const again = tributary('user', 'set-admin', 'sre@big.test');
  expect([again.status, again.stdout.trim()]).toEqual([0, 'sre@big.test was already a site admin']);
  const off = tributary('user', 'set-admin', 'sre@big.test', '--off');
  expect([off.status, off.stdout.trim()]).toEqual([0, 'sre@big.test is no longer a site admin']);
  expect(await directory.isSiteAdmin(sre.id)).toBe(false);
  const unknown = tributary('user', 'set-admin', 'nobody@big.test', '--json');
  expect([unknown.status, unknown.json()]).toEqual([1, { error: 'no user with email nobody@big.test' }]);
  expect(tributary('user', 'set-admin', 'not-an-email', '--json').status).toBe(2);
  const help = tributary('user', 'set-admin', '--help');
  expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('--off')]);
});

it('creates the database DATABASE_URL names when it does not exist (full mode)', async () => {
  const url = new URL(db.url);
  url.pathname = `/${url.pathname.slice(1)}_created`;
  const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), 'org', 'create', 'Fresh', '--json'], {
    env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  try {
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ parameterized_name: 'fresh' });
  } finally {
    await db.pool.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
  }
});
