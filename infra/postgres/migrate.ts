/** Versioned migrations: applies each numbered SQL file under migrations/ once, in order, under a lock. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';
import type { Pool } from 'pg';

// Resolved from the project root so that the SQL files are found from dist/ too.
const MIGRATIONS_DIR = join(projectRoot(), 'infra', 'postgres', 'migrations');
/** Arbitrary constant: serializes concurrent starters (several services migrate on start). */
const MIGRATION_LOCK_KEY = 7_310_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The numbered SQL files in order. Two files with one number is an error, not a choice: the
 * runner records versions, so the second would never be applied anywhere the first already was
 * (the way two branches that both add "005" would silently lose one on merge).
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((file) => ({
      version: Number(file.split('_')[0]),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  const clash = migrations.find((m, i) => i > 0 && migrations[i - 1]!.version === m.version);
  if (clash) throw new Error(`two migrations share version ${clash.version} in ${dir}: renumber one (${migrations.filter((m) => m.version === clash.version).map((m) => m.name).join(', ')})`);
  return migrations;
}

/** Applies pending migrations; returns the names it applied. */
export async function migrate(pool: Pool, migrations = loadMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
        applied.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
