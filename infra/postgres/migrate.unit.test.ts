/** The shipped migrations load (numbered uniquely, in numeric order), and a clash of numbers is refused by name. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations } from './migrate';

test('the shipped migrations have distinct versions, in order', () => {
  const versions = loadMigrations().map((m) => m.version);
  expect(versions.length).toBeGreaterThan(3);
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
});

test('two files with one version fail the load, naming both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-migrations-'));
  for (const name of ['001_a.sql', '005_sources.sql', '005_read_markers.sql', '10_later.sql']) writeFileSync(join(dir, name), 'SELECT 1;');
  expect(() => loadMigrations(dir)).toThrow(`two migrations share version 5 in ${dir}: renumber one (005_read_markers, 005_sources)`);
});

test('versions sort as numbers, not as text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-migrations-'));
  for (const name of ['9_nine.sql', '10_ten.sql', '001_one.sql']) writeFileSync(join(dir, name), 'SELECT 1;');
  expect(loadMigrations(dir).map((m) => m.version)).toEqual([1, 9, 10]);
});
