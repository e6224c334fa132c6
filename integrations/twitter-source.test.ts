/**
 * Built-in Twitter sources end to end in `start all`: created over REST with a sealed bearer token,
 * polled from a local HTTPS stand-in of the v2 recent-search endpoint (its self-signed certificate
 * trusted through OUTBOUND_CA_FILE), posted into the flow as inbox items; rate limits, 429 and
 * every way the API can fail, each on the source's status.
 */
import { randomBytes } from 'node:crypto';
import { api, startTestStack, type TestStack } from '../test/support/stack';
import { eventually } from '../test/support/feed-server';
import { createBuiltInSource, FAST_SOURCES_ENV, postedTitles, sourceStatus } from '../test/support/rss-sources';
import { startTwitterStandIn, type TwitterStandIn, tweets } from '../test/support/twitter-stand-in';
import { FIRST_RUN_ITEMS } from './worker/run-source';

let stack: TestStack;
let twitter: TwitterStandIn;
const BEARER = 'AAAA-test-bearer-token';

beforeAll(async () => {
  twitter = await startTwitterStandIn();
  stack = await startTestStack({
    env: { ...FAST_SOURCES_ENV, TWITTER_API_URL: twitter.origin, OUTBOUND_CA_FILE: twitter.caFile, SOURCE_SECRET_KEY: randomBytes(32).toString('base64') },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await twitter?.close();
});

const statusOf = (id: number) => () => sourceStatus(stack, id);
const follow = (name: string, query: string) => createBuiltInSource(stack, name, 'twitter', { query, bearer_token: BEARER, interval_s: 0.2 });
const titles = (n: number[]) => n.map((i) => `@acme: Tweet ${i} about #tributary`);

describe('creating a Twitter source', () => {
  it('needs a query and a bearer token, which is sealed and never shown', async () => {
    const post = (config: unknown) => api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body: { name: 'Tweets', type: 'twitter', config } });
    const missing = await post({ query: 'from:acme' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty(['config.bearer_token']);
    const long = await post({ query: 'x'.repeat(513), bearer_token: BEARER });
    expect(long.body.errors).toHaveProperty(['config.query']);
    // A header can't carry it: refused now, not on every poll (a docs example once pasted "AAAA…").
    for (const bearer_token of ['AAAA…', 'two words', 'tab\there']) {
      const unsendable = await post({ query: 'from:acme', bearer_token });
      expect(unsendable.status).toBe(400);
      expect(unsendable.body.errors['config.bearer_token']).toEqual(['must be visible ASCII characters only (as the API issues it)']);
    }

    twitter.scenario('sealed').tweets = [];
    const created = await post({ query: 'sealed', bearer_token: BEARER, interval_s: 3600 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'twitter', config: { query: 'sealed', interval_s: 3600 }, secrets_set: ['bearer_token'] });
    expect(JSON.stringify(created.body)).not.toContain(BEARER);
    const shown = await api(stack, 'GET', `/flows/${stack.flow.path}/sources/${created.body.id}`, { auth: stack.alice.auth });
    expect(JSON.stringify(shown.body)).not.toContain(BEARER);
    const { rows } = await stack.db.pool.query('SELECT config::text AS config FROM sources WHERE id = $1', [created.body.id]);
    expect(rows[0].config).not.toContain(BEARER);
    // The worker opened it: the stand-in was called with it.
    await eventually(statusOf(created.body.id), (s) => s !== null, 'the first run');
    expect(twitter.scenario('sealed').requests[0]!.headers.authorization).toBe(`Bearer ${BEARER}`);
  });
});

describe('following a search', () => {
  it(`posts the newest ${FIRST_RUN_ITEMS} tweets first, then each new one once, following since_id`, async () => {
    const s = twitter.scenario('#tributary');
    s.tweets = tweets(1, 6);
    const id = await follow('Tweets', '#tributary');
    await eventually(statusOf(id), (st) => st?.items_posted === FIRST_RUN_ITEMS, 'the first run');
    expect(await postedTitles(stack, id)).toEqual(titles([4, 5, 6]));
    expect(s.requests[0]!.params.has('since_id')).toBe(false);

    s.tweets = tweets(1, 8);
    await eventually(statusOf(id), (st) => st?.items_posted === 5, 'the new tweets');
    const polls = s.requests.length;
    await eventually(async () => s.requests.length, (n) => n >= polls + 3, 'three more polls');
    expect(await postedTitles(stack, id)).toEqual(titles([4, 5, 6, 7, 8]));
    // Every poll after the first asked only for what is newer than the newest it had.
    expect(s.requests.slice(1).every((r) => r.params.get('since_id') !== null)).toBe(true);
    expect(s.requests.at(-1)!.params.get('since_id')).toBe(tweets(8, 1)[0]!.id);

    const messages = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=activity&limit=100`, { auth: stack.alice.auth });
    const eight = messages.body.find((m: { source_id?: number; thread?: { body?: string } }) => m.source_id === id && m.thread?.body === 'Tweet 8 about #tributary');
    expect(eight).toMatchObject({
      event: 'activity', user: '0',
      author: { name: 'Acme (@acme)', avatar: 'https://pbs.example.test/acme.jpg' },
      thread: { external_url: `https://twitter.com/acme/status/${tweets(8, 1)[0]!.id}`, source: { id, name: 'Tweets' } },
    });
  });

  it('waits for x-rate-limit-reset when a poll used the window up', async () => {
    const s = twitter.scenario('from:limited');
    s.tweets = tweets(1, 1, 'limited');
    s.remaining = 0;
    const id = await follow('Limited', 'from:limited');
    const status = await eventually(statusOf(id), (st) => st?.last_success_at !== null && st !== null, 'the first run');
    expect(status).toMatchObject({ items_posted: 1, last_error: null, next_run_at: new Date(twitter.resetAt * 1000).toISOString() });
  });

  it('backs off on 429 until the reset, and says so on the status', async () => {
    const s = twitter.scenario('from:busy');
    s.behaviour = 'rate-limited';
    const id = await follow('Busy', 'from:busy');
    const status = await eventually(statusOf(id), (st) => st !== null, 'the first run');
    expect(status).toMatchObject({ items_posted: 0, failures: 1, next_run_at: new Date(twitter.resetAt * 1000).toISOString() });
    expect(status!.last_error).toMatch(/answered 429 \(rate limit\)/);
  });
});

describe('an API that fails', () => {
  it.each([
    ['error-500', /answered 500/],
    ['hang', /did not answer within the timeout/],
    ['invalid-json', /invalid JSON/],
  ] as const)('records %s on the status, and recovers when the API does', async (behaviour, error) => {
    const s = twitter.scenario(`failing:${behaviour}`);
    s.tweets = tweets(1, 2, behaviour);
    s.behaviour = behaviour;
    const id = await follow(`Failing ${behaviour}`, `failing:${behaviour}`);
    const failed = await eventually(statusOf(id), (st) => (st?.failures ?? 0) >= 1, 'a failed run');
    expect(failed!.last_error).toMatch(error);
    expect(failed!.items_posted).toBe(0);
    s.behaviour = 'ok';
    // The breaker may be open (3 failures in a row): it half-opens after SOURCE_BREAKER_OPEN_S.
    // items_posted counts as each item is posted, before the run's outcome is written: wait for both.
    const recovered = await eventually(statusOf(id), (st) => st?.items_posted === 2 && st.failures === 0, 'the recovery');
    expect(recovered!.last_error).toBeNull();
    expect(await postedTitles(stack, id)).toHaveLength(2);
  });
});
