/** PostgresSourceRuns on a real database: expiring leases, the posted-item record and the run status it leaves for the API. */
import { PostgresDirectory } from './directory/postgres-directory';
import { PostgresSourceRuns } from './postgres-source-runs';
import { hashFlowToken, newFlowToken } from '../../core/auth/flow-tokens';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';

let db: TestDatabase;
let runs: PostgresSourceRuns;
let directory: PostgresDirectory;

beforeAll(async () => {
  db = await createTestDatabase();
  runs = new PostgresSourceRuns(db.pool);
  directory = new PostgresDirectory(db.pool);
});

afterAll(() => db?.drop());

async function newSource(): Promise<number> {
  const org = await directory.createOrganization(`Org ${Math.random()}`);
  const flow = await directory.createFlow(org.id, 'Flow');
  const user = await directory.createUser({ email: `u${Math.random()}@example.test`, password: 'password-1', name: 'U' });
  const source = await directory.sources.createSource({ flowId: flow.id, creatorId: user.id, name: 'News', externalUrl: null, type: 'rss', config: { url: 'https://x.test/' } }, hashFlowToken(newFlowToken()));
  return source.id;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('gives a source to one holder until its lease lapses or is released, and lets the holder renew it', async () => {
  const id = await newSource();
  expect(await runs.claim(id, 'a', 400)).toBe(true);
  expect(await runs.claim(id, 'b', 400)).toBe(false);
  expect(await runs.claim(id, 'a', 400)).toBe(true);
  await pause(600);
  expect(await runs.claim(id, 'b', 60_000)).toBe(true);
  expect(await runs.claim(id, 'a', 400)).toBe(false);
  await runs.release(id, 'a');
  expect(await runs.claim(id, 'a', 400)).toBe(false);
  await runs.release(id, 'b');
  expect(await runs.claim(id, 'a', 400)).toBe(true);
});

it('counts a posted item once however often it is recorded, and reports seen items', async () => {
  const id = await newSource();
  await runs.recordPosted(id, 'guid-1');
  await runs.recordPosted(id, 'guid-1');
  await runs.markSeen(id, ['guid-2']);
  expect(await runs.seen(id, ['guid-1', 'guid-2', 'guid-3'])).toEqual(new Set(['guid-1', 'guid-2']));
  expect((await directory.sources.runStatus(id))?.itemsPosted).toBe(1);
});

it('records runs: a failure keeps the bookmark and the last success, a success clears the error', async () => {
  const id = await newSource();
  const next = new Date(Date.now() + 60_000);
  await runs.recordRun(id, { ok: true, error: null, failures: 0, nextRunAt: next, cursor: { etag: '"1"' } });
  const succeeded = await runs.state(id);
  await runs.recordRun(id, { ok: false, error: 'answered 500', failures: 1, nextRunAt: next });
  expect(await runs.state(id)).toMatchObject({ cursor: { etag: '"1"' }, failures: 1, lastSuccessAt: succeeded!.lastSuccessAt });
  expect(await directory.sources.runStatus(id)).toMatchObject({ lastError: 'answered 500', failures: 1, nextRunAt: next });
  await runs.recordRun(id, { ok: true, error: null, failures: 0, nextRunAt: next, cursor: { etag: '"2"' } });
  expect(await directory.sources.runStatus(id)).toMatchObject({ lastError: null, failures: 0 });
  expect((await runs.state(id))?.cursor).toEqual({ etag: '"2"' });
});

it('records a session only while its writer holds the lease, adding up the items it posted', async () => {
  const id = await newSource();
  const progress = { ok: true, error: null, failures: 0, cursor: { flow_message_id: 7 }, postedDelta: 2, nextRunAt: null };
  expect(await runs.recordSession(id, 'a', progress)).toBe(false);
  expect(await runs.state(id)).toBeNull();
  expect(await runs.claim(id, 'a', 60_000)).toBe(true);
  expect(await runs.recordSession(id, 'a', progress)).toBe(true);
  const retryAt = new Date(Date.now() + 30_000);
  expect(await runs.recordSession(id, 'a', { ...progress, ok: false, error: 'lost the link', failures: 1, cursor: { flow_message_id: 9 }, postedDelta: 1, nextRunAt: retryAt })).toBe(true);
  expect(await runs.state(id)).toMatchObject({ cursor: { flow_message_id: 9 }, failures: 1 });
  // Backing off, the session's next attempt is its next run.
  expect(await directory.sources.runStatus(id)).toMatchObject({ lastError: 'lost the link', itemsPosted: 3, nextRunAt: retryAt });
  expect(await runs.recordSession(id, 'a', { ...progress, cursor: null, postedDelta: 0 })).toBe(true);
  expect(await directory.sources.runStatus(id)).toMatchObject({ lastError: null, itemsPosted: 3, nextRunAt: null });
  // Another holder (a worker that stalled past its lease) cannot move the cursor back.
  expect(await runs.recordSession(id, 'b', { ...progress, cursor: { flow_message_id: 1 } })).toBe(false);
  expect((await runs.state(id))?.cursor).toEqual({ flow_message_id: 9 });
});
