/** `tributary source …` as a script uses it: the built CLI against a real Postgres database. */
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { PostgresSourceRuns } from '../infra/postgres/postgres-source-runs';
import { tributaryOn } from '../test/support/cli';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const directory = new PostgresDirectory(db.pool);
  const org = await directory.createOrganization('Acme');
  const flow = await directory.createFlow(org.id, 'Main');
  const user = await directory.createUser({ email: 'ann@acme.test', password: 'long-enough', name: 'Ann' });
  await directory.addOrganizationMember(org.id, user.id, false);
  await directory.addFlowMember(flow.id, user.id);
});
afterAll(async () => {
  await db.drop();
});

const tributary = (...args: string[]) => tributaryOn(db.url, args);

const feed = JSON.stringify({ url: 'https://news.example.test/feed.xml', interval_s: 600 });

it('adds an RSS source, lists it and shows its status, then removes it', async () => {
  const added = tributary('source', 'add', 'acme/main', '--name', 'News', '--type', 'rss', '--config', feed, '--creator', 'ann@acme.test', '--json');
  expect(added.status).toBe(0);
  const source = added.json();
  expect(source).toMatchObject({ name: 'News', type: 'rss', config: { url: 'https://news.example.test/feed.xml', interval_s: 600 }, status: null });
  expect(typeof source.flow_token).toBe('string');

  expect(tributary('source', 'list', '--json').json()).toEqual([expect.objectContaining({ id: source.id, type: 'rss', status: null })]);
  await new PostgresSourceRuns(db.pool).recordRun(source.id, { ok: false, error: 'https://news.example.test/feed.xml answered 503', failures: 1, nextRunAt: new Date() });
  const status = tributary('source', 'status', 'acme/main', String(source.id), '--json');
  expect(status.json().status).toMatchObject({ last_error: 'https://news.example.test/feed.xml answered 503', failures: 1, items_posted: 0 });
  const text = tributary('source', 'list', 'acme/main');
  expect(text.stdout).toContain('error: https://news.example.test/feed.xml answered 503');

  expect(tributary('source', 'remove', 'acme/main', String(source.id), '--json').json()).toEqual({ id: source.id, deleted: true });
  const again = tributary('source', 'remove', 'acme/main', String(source.id), '--json');
  expect(again.status).toBe(1);
  expect(again.json().error).toMatch(/no source/);
  expect(tributary('source', 'list', '--json').json()).toEqual([]);
});

it('a bad config exits 2 naming the field; JSON that does not parse too; an unknown flow exits 1', () => {
  const badUrl = tributary('source', 'add', 'acme/main', '--name', 'News', '--type', 'rss', '--config', '{"url":"ftp://x.test/"}', '--creator', 'ann@acme.test', '--json');
  expect(badUrl.status).toBe(2);
  expect(badUrl.json().error).toMatch(/config\.url: must be an http\(s\) URL/);
  const notJson = tributary('source', 'add', 'acme/main', '--name', 'News', '--type', 'rss', '--config', '{url:', '--creator', 'ann@acme.test');
  expect(notJson.status).toBe(2);
  expect(notJson.stderr).toMatch(/--config: must be a JSON object/);
  const noFlow = tributary('source', 'add', 'acme/nope', '--name', 'News', '--type', 'rss', '--config', feed, '--creator', 'ann@acme.test', '--json');
  expect(noFlow.status).toBe(1);
  expect(tributary('source', 'add', 'acme/main', '--json').status).toBe(2);
});
