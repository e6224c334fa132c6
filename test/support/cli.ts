/** Runs the built `tributary` command (bin/tributary.js) against a test database, as a script would. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';

/** `env` adds to the test's environment (REDIS_URL and REDIS_PREFIX, to announce on a stack's bus). */
export function tributaryOn(databaseUrl: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
