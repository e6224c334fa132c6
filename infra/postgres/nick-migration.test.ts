/** Migration 003 on a database that already has clashing nicks: the later user is renamed, then the rule holds. */
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { loadMigrations, migrate } from './migrate';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await db.drop();
});

it('renames the later of two clashing org-mates to nick-<id>, then refuses new clashes', async () => {
  const all = loadMigrations();
  await migrate(db.pool, all.filter((m) => m.version < 3));
  const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
  const org = (await q("INSERT INTO organizations (name, parameterized_name) VALUES ('A', 'a') RETURNING id")).rows[0].id;
  const ids: string[] = [];
  for (const [email, nick] of [['a1@x.test', 'alice'], ['a2@x.test', 'Alice'], ['b@x.test', 'bob']]) {
    const id = (await q("INSERT INTO users (email, name, nick, password_hash) VALUES ($1, $2, $2, 'x') RETURNING id", [email, nick])).rows[0].id;
    await q('INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)', [org, id]);
    ids.push(id);
  }
  await migrate(db.pool, all);
  const nicks = (await q('SELECT nick FROM users ORDER BY id')).rows.map((r) => r.nick);
  expect(nicks).toEqual(['alice', `Alice-${ids[1]}`, 'bob']);
  await expect(q('UPDATE users SET nick = $1 WHERE id = $2', ['ALICE', ids[2]])).rejects.toMatchObject({ code: '23505', constraint: 'organization_members_nick_key' });
});
