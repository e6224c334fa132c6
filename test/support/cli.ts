/** Runs the built `tributary` command (bin/tributary.js) against a test database, as a script would. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';

export function tributaryOn(databaseUrl: string, args: readonly string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
