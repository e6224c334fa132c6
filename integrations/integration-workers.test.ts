/**
 * Several integration workers (`tributary start integrations`, each composed as its own process
 * would be) sharing built-in sources on one Postgres: one runs a source at a time, another takes it
 * over when it stops, and neither a restart nor a takeover posts an item twice.
 */
import { silentLog } from '../core/log';
import { type RunningServices, startServices } from '../cli/start';
import { entries, eventually, type FeedServer, rssDocument, servingXml, startFeedServer } from '../test/support/feed-server';
import { createRssSource, FAST_SOURCES_ENV, postedTitles, sourceStatus } from '../test/support/rss-sources';
import { startTestStack, type TestStack } from '../test/support/stack';

let stack: TestStack;
let backend: RunningServices;
let feeds: FeedServer;
const workers = new Set<RunningServices>();

beforeAll(async () => {
  feeds = await startFeedServer();
  // The REST API alone, and the message backend beside it: no worker but the ones each test starts.
  stack = await startTestStack({ service: 'web-api', env: FAST_SOURCES_ENV });
  backend = await startServices('message-backend', stack.config, silentLog());
}, 60_000);

afterEach(async () => {
  for (const w of workers) await w.stop();
  workers.clear();
});

afterAll(async () => {
  await backend?.stop();
  await stack?.stop();
  await feeds?.close();
});

async function startWorker(): Promise<RunningServices> {
  const worker = await startServices('integrations', stack.config, silentLog());
  workers.add(worker);
  return worker;
}

async function stopWorker(worker: RunningServices): Promise<void> {
  workers.delete(worker);
  await worker.stop();
}

const holderOf = async (id: number): Promise<string | null> =>
  (await stack.db.pool.query<{ holder: string }>('SELECT holder FROM source_leases WHERE source_id = $1', [id])).rows[0]?.holder ?? null;

const statusOf = (id: number) => () => sourceStatus(stack, id);

it('one of two workers runs a source; when it stops, the other takes the source over and posts only what is new', async () => {
  let doc = rssDocument('Shared', entries(1, 5));
  feeds.route('/shared.xml', servingXml(() => doc));
  const first = await startWorker();
  const id = await createRssSource(stack, 'Shared', `${feeds.origin}/shared.xml`);
  await eventually(statusOf(id), (s) => s?.items_posted === 3, 'the first run');
  const firstHolder = await holderOf(id);
  expect(firstHolder).not.toBeNull();

  await startWorker();
  // Many lease renewals and polls later, the source is still the first worker's alone.
  const polls = feeds.requests('/shared.xml').length;
  await eventually(async () => feeds.requests('/shared.xml').length, (n) => n >= polls + 5, 'five more polls');
  expect(await holderOf(id)).toBe(firstHolder);

  await stopWorker(first);
  doc = rssDocument('Shared', entries(1, 7));
  await eventually(() => holderOf(id), (h) => h !== null && h !== firstHolder, 'the takeover');
  await eventually(statusOf(id), (s) => s?.items_posted === 5, 'the new items');
  expect(await postedTitles(stack, id)).toEqual(['Item 3', 'Item 4', 'Item 5', 'Item 6', 'Item 7']);
});

it('a restarted worker posts nothing twice, and the first-run rule does not apply again', async () => {
  let doc = rssDocument('Restart', entries(1, 4));
  feeds.route('/restart.xml', servingXml(() => doc));
  const worker = await startWorker();
  const id = await createRssSource(stack, 'Restart', `${feeds.origin}/restart.xml`);
  await eventually(statusOf(id), (s) => s?.items_posted === 3, 'the first run');
  await stopWorker(worker);

  doc = rssDocument('Restart', entries(1, 6));
  await startWorker();
  await eventually(statusOf(id), (s) => s?.items_posted === 5, 'the new items');
  const polls = feeds.requests('/restart.xml').length;
  await eventually(async () => feeds.requests('/restart.xml').length, (n) => n >= polls + 3, 'three more polls');
  expect(await postedTitles(stack, id)).toEqual(['Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6']);
});

it('an item posted but not recorded (its worker died in between) is posted again as a retry of the same uuid, not a second message', async () => {
  // No ETag: every poll reads the whole feed, so the forgotten items are seen again.
  feeds.route('/lost.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssDocument('Lost', entries(1, 2))));
  await startWorker();
  const id = await createRssSource(stack, 'Lost', `${feeds.origin}/lost.xml`);
  await eventually(statusOf(id), (s) => s?.items_posted === 2, 'the first run');
  // What a worker that died after posting and before recording leaves behind.
  await stack.db.pool.query('DELETE FROM source_items WHERE source_id = $1', [id]);
  await eventually(statusOf(id), (s) => s?.items_posted === 4, 'the items handled again');
  expect(await postedTitles(stack, id)).toEqual(['Item 1', 'Item 2']);
});

it('takes over the source of a worker that died without giving its lease back, once the lease lapses', async () => {
  feeds.route('/orphan.xml', servingXml(() => rssDocument('Orphan', entries(1, 2))));
  const id = await createRssSource(stack, 'Orphan', `${feeds.origin}/orphan.xml`);
  // What a crashed worker leaves: its lease, still valid for a moment, and nobody renewing it.
  await stack.db.pool.query("INSERT INTO source_leases (source_id, holder, expires_at) VALUES ($1, 'dead-host:1:00000000', now() + interval '1 second')", [id]);
  await startWorker();
  await eventually(() => holderOf(id), (h) => h !== null && h !== 'dead-host:1:00000000', 'the takeover');
  await eventually(statusOf(id), (s) => s?.items_posted === 2, 'the items');
  expect(await postedTitles(stack, id)).toEqual(['Item 1', 'Item 2']);
});
