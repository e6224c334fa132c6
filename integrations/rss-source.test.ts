/**
 * Built-in RSS sources end to end in `start all` (which runs the integrations service): created
 * over REST, polled from a real HTTP server on 127.0.0.1, posted into the flow as inbox items;
 * and every way a feed can go wrong, each recorded on the source's status.
 */
import { api, startTestStack, type TestStack } from '../test/support/stack';
import { atomDocument, entries, eventually, type FeedServer, rssDocument, servingXml, startFeedServer } from '../test/support/feed-server';
import { createRssSource, FAST_SOURCES_ENV, postedTitles, sourceStatus } from '../test/support/rss-sources';
import { FIRST_RUN_ITEMS } from './worker/run-source';

let stack: TestStack;
let feeds: FeedServer;

beforeAll(async () => {
  feeds = await startFeedServer();
  stack = await startTestStack({ env: FAST_SOURCES_ENV });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await feeds?.close();
});

const statusOf = (id: number) => () => sourceStatus(stack, id);

describe('creating a built-in source', () => {
  it('validates the config per type and names the field', async () => {
    const post = (body: unknown) => api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body });
    const badUrl = await post({ name: 'News', type: 'rss', config: { url: 'ftp://x.test/feed' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.errors).toHaveProperty(['config.url']);
    const badInterval = await post({ name: 'News', type: 'rss', config: { url: 'https://x.test/feed', interval_s: 'often' } });
    expect(badInterval.body.errors).toHaveProperty(['config.interval_s']);
    const extra = await post({ name: 'News', type: 'rss', config: { url: 'https://x.test/feed', password: 'x' } });
    expect(extra.status).toBe(400);
    const badType = await post({ name: 'News', type: 'gopher', config: {} });
    expect(badType.body.errors).toHaveProperty(['type']);
    const configAlone = await post({ name: 'News', config: { url: 'https://x.test/feed' } });
    expect(configAlone.body.errors).toHaveProperty(['config']);
  });

  it('shows type and config, and the status of its runs', async () => {
    feeds.route('/never.xml', (_req, res) => void res.writeHead(404).end());
    const res = await api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body: { name: 'Later', type: 'rss', config: { url: `${feeds.origin}/never.xml`, interval_s: 3600 } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'rss', config: { url: `${feeds.origin}/never.xml`, interval_s: 3600 }, secrets_set: [] });
    expect(typeof res.body.flow_token).toBe('string');
    const status = await eventually(statusOf(res.body.id), (s) => s !== null, 'the first run');
    // The 404 is recorded, and the next run is at least the interval away.
    expect(status!.last_error).toMatch(/answered 404/);
  });
});

describe('polling a feed', () => {
  it(`posts only the newest ${FIRST_RUN_ITEMS} items on the first run, then each new item once, as inbox threads`, async () => {
    let doc = rssDocument('Example News', entries(1, 6));
    feeds.route('/news.xml', servingXml(() => doc));
    const id = await createRssSource(stack, 'News', `${feeds.origin}/news.xml`);
    await eventually(statusOf(id), (s) => s?.items_posted === FIRST_RUN_ITEMS && s.last_success_at !== null, 'the first run');
    expect(await postedTitles(stack, id)).toEqual(['Item 4', 'Item 5', 'Item 6']);

    doc = rssDocument('Example News', [...entries(1, 6), ...entries(7, 2)].reverse());
    const status = await eventually(statusOf(id), (s) => s?.items_posted === 5, 'the new items');
    expect(status!.last_error).toBeNull();
    // Let a few more polls go by: nothing is posted twice.
    const runs = feeds.requests('/news.xml').length;
    await eventually(async () => feeds.requests('/news.xml').length, (n) => n >= runs + 3, 'three more polls');
    expect(await postedTitles(stack, id)).toEqual(['Item 4', 'Item 5', 'Item 6', 'Item 7', 'Item 8']);

    const messages = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=activity&limit=100`, { auth: stack.alice.auth });
    const item8 = messages.body.find((m: { source_id?: number; thread?: { title: string } }) => m.source_id === id && m.thread?.title === 'Item 8');
    expect(item8).toMatchObject({
      event: 'activity', user: '0', app: 'influx',
      author: { name: 'Example News' },
      thread: { title: 'Item 8', body: 'Item 8 body', external_url: 'https://news.example.test/item-8', source: { id, name: 'News' } },
    });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const posted = Number(/^tributary_source_items_posted_total\{type="rss"\} (\d+)/m.exec(metrics)?.[1]);
    expect(posted).toBeGreaterThanOrEqual(5);
    expect(metrics).toMatch(/^tributary_source_runs_total\{type="rss",outcome="ok"\} [1-9]/m);
  });

  it('fetches a feed named by a host name, connecting to the address it resolved and allowed', async () => {
    feeds.route('/by-name.xml', servingXml(() => rssDocument('By name', entries(1, 1))));
    const id = await createRssSource(stack, 'By name', `${feeds.origin.replace('127.0.0.1', 'localhost')}/by-name.xml`);
    const status = await eventually(statusOf(id), (s) => s !== null, 'the first run');
    expect(status).toMatchObject({ items_posted: 1, last_error: null });
  });

  it('reads Atom, and sends the ETag back: a 304 posts nothing and is no error', async () => {
    feeds.route('/atom.xml', servingXml(() => atomDocument('Atom News', entries(1, 2))));
    const id = await createRssSource(stack, 'Atom', `${feeds.origin}/atom.xml`);
    await eventually(statusOf(id), (s) => s?.items_posted === 2, 'the Atom entries');
    await eventually(async () => feeds.requests('/atom.xml').length, (n) => n >= 3, 'two more polls');
    const conditional = feeds.requests('/atom.xml').slice(1);
    expect(conditional.every((h) => typeof h['if-none-match'] === 'string')).toBe(true);
    const status = await sourceStatus(stack, id);
    expect(status).toMatchObject({ items_posted: 2, last_error: null, failures: 0 });
    expect(await postedTitles(stack, id)).toEqual(['Item 1', 'Item 2']);
  });
});

describe('conditional GET and redirects', () => {
  it('sends Last-Modified back as If-Modified-Since when the feed gives no ETag', async () => {
    const stamp = 'Mon, 30 Nov 2026 10:00:00 GMT';
    feeds.route('/dated.xml', (req, res) => {
      if (req.headers['if-modified-since'] === stamp) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'last-modified': stamp }).end(rssDocument('Dated', entries(1, 1)));
    });
    const id = await createRssSource(stack, 'Dated', `${feeds.origin}/dated.xml`);
    await eventually(async () => feeds.requests('/dated.xml').length, (n) => n >= 3, 'three polls');
    expect(feeds.requests('/dated.xml').slice(1).every((h) => h['if-modified-since'] === stamp)).toBe(true);
    expect(await sourceStatus(stack, id)).toMatchObject({ items_posted: 1, last_error: null });
  });

  it('follows up to 5 redirects, and refuses a sixth', async () => {
    const hop = (path: string, to: string) => feeds.route(path, (_req, res) => void res.writeHead(301, { location: to }).end());
    feeds.route('/moved/final.xml', servingXml(() => rssDocument('Moved', entries(1, 1))));
    for (let i = 1; i <= 5; i++) hop(`/moved/${i}`, i === 5 ? '/moved/final.xml' : `/moved/${i + 1}`);
    const five = await createRssSource(stack, 'Five hops', `${feeds.origin}/moved/1`);
    expect(await eventually(statusOf(five), (s) => s !== null, 'the first run')).toMatchObject({ items_posted: 1, last_error: null });

    hop('/moved/0', '/moved/1');
    const six = await createRssSource(stack, 'Six hops', `${feeds.origin}/moved/0`);
    const status = await eventually(statusOf(six), (s) => s !== null, 'the first run');
    expect(status!.last_error).toMatch(/redirected more than 5 times/);
  });
});

describe('a feed that goes wrong', () => {
  it('refuses a redirect to 169.254.169.254 and records it', async () => {
    feeds.route('/metadata.xml', (_req, res) => void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    const id = await createRssSource(stack, 'Sneaky', `${feeds.origin}/metadata.xml`);
    const status = await eventually(statusOf(id), (s) => !!s?.last_error, 'the refusal');
    expect(status!.last_error).toMatch(/refused to connect to 169\.254\.169\.254/);
    expect(status!.items_posted).toBe(0);
  });

  it('gives up on a server that never answers', async () => {
    feeds.route('/hang.xml', () => {
      // Never answers: the worker's timeout must end the request.
    });
    const id = await createRssSource(stack, 'Hanging', `${feeds.origin}/hang.xml`);
    const status = await eventually(statusOf(id), (s) => !!s?.last_error, 'the timeout');
    expect(status!.last_error).toMatch(/did not answer within 1000 ms/);
  });

  it('gives up on a server that stops in the middle of the body', async () => {
    feeds.route('/stall.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Stalled</title>');
    });
    const id = await createRssSource(stack, 'Stalled', `${feeds.origin}/stall.xml`);
    const status = await eventually(statusOf(id), (s) => !!s?.last_error, 'the timeout');
    expect(status!.last_error).toMatch(/did not answer within 1000 ms/);
  });

  it('refuses a 20 MB feed at the size cap', async () => {
    feeds.route('/huge.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const more = (): void => {
        while (sent < 20 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => { sent = 20; });
      more();
    });
    const id = await createRssSource(stack, 'Huge', `${feeds.origin}/huge.xml`);
    const status = await eventually(statusOf(id), (s) => !!s?.last_error, 'the size cap');
    expect(status!.last_error).toMatch(/more than the 5242880 bytes allowed/);
  });

  it('records malformed XML as the last error and posts nothing', async () => {
    feeds.route('/broken.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel><item><title>oops</channel>'));
    const id = await createRssSource(stack, 'Broken', `${feeds.origin}/broken.xml`);
    const status = await eventually(statusOf(id), (s) => !!s?.last_error, 'the parse error');
    expect(status!.last_error).toMatch(/not valid RSS or Atom/);
    expect(status!.items_posted).toBe(0);
    expect(await postedTitles(stack, id)).toEqual([]);
  });

  it('opens the circuit after three failures, stops calling, and recovers when the feed does', async () => {
    let failing = true;
    const good = servingXml(() => rssDocument('Flaky', entries(1, 1)));
    feeds.route('/flaky.xml', (req, res) => (failing ? void res.writeHead(500).end() : good(req, res)));
    const id = await createRssSource(stack, 'Flaky', `${feeds.origin}/flaky.xml`);
    const open = await eventually(statusOf(id), (s) => /circuit open/.test(s?.last_error ?? ''), 'the open circuit');
    expect(open!.failures).toBeGreaterThanOrEqual(4);
    // Three calls opened it; while open, runs fail without calling the feed.
    expect(feeds.requests('/flaky.xml')).toHaveLength(3);
    failing = false;
    const recovered = await eventually(statusOf(id), (s) => s?.items_posted === 1, 'the recovery');
    expect(recovered).toMatchObject({ last_error: null, failures: 0 });
    expect(await postedTitles(stack, id)).toEqual(['Item 1']);
  });
});
