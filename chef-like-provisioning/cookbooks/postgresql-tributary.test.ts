/** The postgresql and tributary cookbooks converged for real: a role and database created, web-api supervised on them. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '../api';
import { changedIds, converge, killByPidFiles } from './testing/converge';

const dir = mkdtempSync(join(tmpdir(), 'cookbook-tributary-'));
const node: Attributes = {
  // The machine's cluster, adopted (ADR 004); the role and database are this test's own.
  postgresql: { adoptRunning: true, roles: [{ name: 'prov_test' }], databases: [{ name: 'prov_test', owner: 'prov_test' }] },
  tributary: {
    services: [{ name: 'web-api', port: 13300 }],
    env: { DATABASE_URL: 'postgres://prov_test@127.0.0.1:5432/prov_test', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'provtest:', LOG_LEVEL: 'warn' },
    runDir: join(dir, 'run'),
    logDir: join(dir, 'log'),
  },
};
const psql = (sql: string) => execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-tAc', sql], { cwd: '/tmp', encoding: 'utf8' }).trim();

afterAll(async () => {
  await killByPidFiles([join(dir, 'run', 'web-api.pid')]);
  psql('DROP DATABASE IF EXISTS prov_test WITH (FORCE)');
  psql('DROP ROLE IF EXISTS prov_test');
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

test('role and database are created, web-api answers /health; a second run changes nothing', async () => {
  const first = await converge(['postgresql', 'tributary'], node);
  expect(changedIds(first)).toEqual(expect.arrayContaining(['execute[postgresql role prov_test]', 'execute[postgresql database prov_test]', 'service[tributary-web-api]']));
  expect(psql("SELECT datdba::regrole FROM pg_database WHERE datname='prov_test'")).toBe('prov_test');
  expect((await fetch('http://127.0.0.1:13300/health')).status).toBe(200);
  expect(changedIds(await converge(['postgresql', 'tributary'], node))).toEqual([]);
}, 120_000);
