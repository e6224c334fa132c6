/**
 * Posting with a flow token end to end on real Postgres and Redis (spec §5): thread messages
 * through POST /messages, the v1 team inbox and chat pushes, their errors, and live delivery.
 */
import { openStream } from '../test/authz/live-clients';
import { waitFor } from '../streaming-api/testing/stream-test-harness';
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
/** Two sources of the main flow, and one of a second flow (for comma-list pushes). */
let ci: { id: number; token: string };
let tracker: { id: number; token: string };
let other: { id: number; token: string; flowId: string; path: string };

async function newSource(path: string, name: string) {
  const r = await api(s, 'POST', `/flows/${path}/sources`, { auth: s.alice.auth, body: { name, external_url: `https://${name.toLowerCase()}.example.test/` } });
  expect(r.status).toBe(201);
  return { id: r.body.id as number, token: r.body.flow_token as string };
}

beforeAll(async () => {
  s = await startTestStack();
  ci = await newSource(s.flow.path, 'CI');
  tracker = await newSource(s.flow.path, 'Tracker');
  const second = await s.directory.createFlow(s.org.id, 'Ops', 'invitation', s.alice.id);
  const path = `${s.org.name}/${second.parameterizedName}`;
  other = { ...(await newSource(path, 'Pager')), flowId: second.id, path };
});
afterAll(async () => {
  await s.stop();
});

const post = (token: string, body: Record<string, unknown>) => api(s, 'POST', '/messages', { body: { flow_token: token, ...body } });
const activity = (external: string, extra: Record<string, unknown> = {}) => ({
  event: 'activity', author: { name: 'CI bot', avatar: 'https://ci.example.test/bot.png', email: 'ci@example.test' },
  title: 'build <a href="https://ci.example.test/1">#1</a> passed', external_thread_id: external, ...extra,
});
const thread = {
  title: 'Build #1', body: '<p>all green</p>', external_url: 'https://ci.example.test/1', status: { color: 'green', value: 'passed' },
  fields: [{ label: 'branch', value: 'main' }],
  actions: [
    { '@type': 'ViewAction', name: 'Open', url: 'https://ci.example.test/1' },
    { '@type': 'UpdateAction', name: 'Rebuild', target: { '@type': 'EntryPoint', urlTemplate: 'https://ci.example.test/1/rebuild', httpMethod: 'POST' } },
  ],
};

describe('thread messages with a flow token', () => {
  it('an activity creates the thread with its state, actions and source; the message is anonymous and stored', async () => {
    const r = await post(ci.token, activity('build-1', { thread, body: '<b>log</b>' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      event: 'activity', user: '0', app: 'influx', flow: s.flow.id, source_id: ci.id, content: null,
      title: 'build <a href="https://ci.example.test/1">#1</a> passed', body: '<b>log</b>',
      author: { name: 'CI bot', avatar: 'https://ci.example.test/bot.png', email: 'ci@example.test' },
    });
    expect(r.body).not.toHaveProperty('flow_token');
    expect(r.body.thread).toMatchObject({ ...thread, activities: 1, source: { id: ci.id, name: 'CI', external_url: 'https://ci.example.test/', application: null } });
    const stored = await api(s, 'GET', `/flows/${s.flow.path}/threads/${r.body.thread_id}`, { auth: s.bob.auth });
    expect(stored.body).toMatchObject({ title: 'Build #1', actions: thread.actions, source: { id: ci.id } });
    const shown = await api(s, 'GET', `/flows/${s.flow.path}/messages/${r.body.id}`, { auth: s.bob.auth });
    expect(shown.body).toEqual(r.body);
  });

  it('the same external id from the same source joins the thread; a discussion counts as an external comment', async () => {
    const first = await post(ci.token, activity('build-2', { thread: { title: 'Build #2' } }));
    const again = await post(ci.token, activity('build-2', { thread: { title: 'Build #2', status: { color: 'red', value: 'failed' } } }));
    const talk = await post(ci.token, { event: 'discussion', author: { name: 'Dana' }, title: 'commented', body: 'flaky?', external_thread_id: 'build-2' });
    expect(talk.status).toBe(201);
    expect(new Set([first.body.thread_id, again.body.thread_id, talk.body.thread_id]).size).toBe(1);
    expect(talk.body.thread).toMatchObject({ status: { color: 'red', value: 'failed' }, activities: 2, external_comments: 1 });
  });

  it('two sources using one external id write into two threads', async () => {
    const a = await post(ci.token, activity('ticket-7', { thread: { title: 'CI 7' } }));
    const b = await post(tracker.token, activity('ticket-7', { thread: { title: 'Tracker 7' } }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.thread_id).not.toBe(b.body.thread_id);
    expect(b.body.thread).toMatchObject({ title: 'Tracker 7', activities: 1, source: { id: tracker.id, name: 'Tracker' } });
    // A member using the same external id gets a thread of neither source.
    const member = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: activity('ticket-7', { thread: { title: 'Mine' } }) });
    expect([a.body.thread_id, b.body.thread_id]).not.toContain(member.body.thread_id);
  });

  it('a retry with the same uuid returns the stored message; another source with that uuid gets 409', async () => {
    const body = activity('build-3', { thread: { title: 'Build #3' }, uuid: 'ci-delivery-3' });
    const [one, two] = await Promise.all([post(ci.token, body), post(ci.token, body)]);
    expect(one.body.id).toBe(two.body.id);
    const three = await post(ci.token, body);
    expect(three.status).toBe(201);
    expect(three.headers.get('idempotent-replayed')).toBe('true');
    expect(three.body.id).toBe(one.body.id);
    const foreign = await post(tracker.token, body);
    expect(foreign.status).toBe(409);
    expect(foreign.body.errors).toHaveProperty('uuid');
  });

  it('a chat message with a flow token is anonymous', async () => {
    const r = await post(ci.token, { event: 'message', content: 'deploy done', external_user_name: 'deploybot' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ event: 'message', user: '0', external_user_name: 'deploybot', source_id: ci.id });
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [activity('n1', { thread: { title: 'x' }, author: undefined }), 'author'],
      [activity('n2', { thread: { title: 'x' }, title: undefined }), 'title'],
      [activity('n3'), 'thread'],
      [{ ...activity('n4', { thread: { title: 'x' } }), external_thread_id: undefined }, 'thread_id'],
      [activity('n5', { thread: { title: 'x', status: { color: 'green' } } }), 'thread.status.value'],
      [activity('n6', { thread: { title: 'x', actions: [{ '@type': 'ViewAction', name: 'Open', url: 'javascript:alert(1)' }] } }), 'thread.actions.0.url'],
      [activity('n7', { thread: { title: 'x' }, body: 'a\u0000b' }), 'body'],
      [{ event: 'status', content: 'away' }, 'event'],
      [{ event: 'comment', content: 'x', message: 1 }, 'event'],
    ];
    for (const [body, field] of cases) {
      const r = await post(ci.token, body);
      expect([r.status, field, r.body.errors && Object.keys(r.body.errors)]).toEqual([400, field, expect.arrayContaining([field])]);
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const r = await post(ci.token, activity('huge', { thread: { title: 'x' }, body: 'x'.repeat(300 * 1024) }));
    expect(r.status).toBe(413);
  });

  it('an archived flow refuses posts with 403, as the flow gate does for members; reading its source still works', async () => {
    const archived = await s.directory.createFlow(s.org.id, 'Old', 'invitation', s.alice.id);
    const made = await newSource(`${s.org.name}/${archived.parameterizedName}`, 'Legacy');
    await s.directory.updateFlow(archived.id, { disabled: true });
    const r = await post(made.token, activity('a1', { thread: { title: 'x' } }));
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/archived/);
    const member = await api(s, 'POST', `/flows/${s.org.name}/${archived.parameterizedName}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'x' } });
    expect([member.status, member.body.message]).toEqual([403, r.body.message]);
    expect((await api(s, 'GET', `/sources?flow_token=${made.token}`)).status).toBe(200);
    expect((await api(s, 'POST', `/v1/messages/chat/${made.token}`, { body: { content: 'x', external_user_name: 'bot' } })).status).toBe(403);
  });
});

describe('v1 push API', () => {
  it('team_inbox: 200 {} and a stored mail inbox item from user "0"', async () => {
    const r = await api(s, 'POST', `/v1/messages/team_inbox/${ci.token}`, {
      body: { source: 'News digest', from_address: 'news@example.test', from_name: 'News', subject: 'Daily digest', content: '<p>today</p>', project: 'Morning', tags: ['news', '#digest'], link: 'https://news.example.test/1' },
    });
    expect([r.status, r.body]).toEqual([200, {}]);
    const listed = await api(s, 'GET', `/flows/${s.flow.path}/messages?event=mail&limit=1`, { auth: s.bob.auth });
    expect(listed.body[0]).toMatchObject({
      event: 'mail', user: '0', app: 'influx', source_id: ci.id,
      content: { source: 'News digest', project: 'Morning', subject: 'Daily digest', content: '<p>today</p>', from: [{ address: 'news@example.test', name: 'News' }], link: 'https://news.example.test/1', format: 'html' },
    });
    expect(listed.body[0].tags).toEqual(expect.arrayContaining(['news', 'digest', ':source:news digest', ':url']));
  });

  it('team_inbox: missing or bad fields are a 400 naming them', async () => {
    const r = await api(s, 'POST', `/v1/messages/team_inbox/${ci.token}`, { body: { source: 'bad/source!', subject: 'x', content: 'y' } });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.errors)).toEqual(expect.arrayContaining(['source', 'from_address']));
  });

  it('chat: a comma list of tokens posts one anonymous message to each flow', async () => {
    const r = await api(s, 'POST', `/v1/messages/chat/${ci.token},${other.token}`, { body: { content: 'release 1.2 is out', external_user_name: 'releasebot', tags: 'release' } });
    expect([r.status, r.body]).toEqual([200, {}]);
    for (const path of [s.flow.path, other.path]) {
      const listed = await api(s, 'GET', `/flows/${path}/messages?search=release&limit=1`, { auth: s.alice.auth });
      expect(listed.body[0]).toMatchObject({ event: 'message', content: 'release 1.2 is out', user: '0', external_user_name: 'releasebot' });
      expect(listed.body[0].tags).toContain('release');
    }
  });

  it('chat: a bad token anywhere in the list posts nowhere', async () => {
    const before = await api(s, 'GET', `/flows/${other.path}/messages?search=nowhere`, { auth: s.alice.auth });
    const r = await api(s, 'POST', `/v1/messages/chat/${other.token},${'f'.repeat(64)}`, { body: { content: 'nowhere', external_user_name: 'bot' } });
    expect(r.status).toBe(401);
    const after = await api(s, 'GET', `/flows/${other.path}/messages?search=nowhere`, { auth: s.alice.auth });
    expect(after.body).toEqual(before.body);
  });

  it('chat: external_user_name is required, without spaces, at most 16 characters', async () => {
    for (const name of [undefined, 'two words', 'x'.repeat(17)]) {
      const r = await api(s, 'POST', `/v1/messages/chat/${ci.token}`, { body: { content: 'x', ...(name ? { external_user_name: name } : {}) } });
      expect([r.status, Object.keys(r.body.errors ?? {})]).toEqual([400, ['external_user_name']]);
    }
  });
});

describe('live delivery', () => {
  it('a member streaming the flow receives the activity and the discussion as they are posted', async () => {
    const stream = await openStream(`${s.url}/stream/flows?filter=${s.flow.id}`, s.bob.auth, 'json');
    try {
      expect(stream.status).toBe(200);
      const act = await post(tracker.token, activity('live-1', { thread: { title: 'Live' } }));
      const talk = await post(tracker.token, { event: 'discussion', author: { name: 'Eve' }, title: 'said', body: 'hi', external_thread_id: 'live-1' });
      const seen = await waitFor(() => {
        const ids = stream.events.map((e) => e.id);
        return ids.includes(act.body.id) && ids.includes(talk.body.id) && stream.events;
      }, 'the activity and the discussion on the stream');
      const live = seen.find((e) => e.id === act.body.id)!;
      expect(live).toMatchObject({ event: 'activity', user: '0', thread_id: act.body.thread_id, thread: { source: { id: tracker.id, name: 'Tracker' } } });
      expect(seen.find((e) => e.id === talk.body.id)).toMatchObject({ event: 'discussion', thread: { external_comments: 1 } });
    } finally {
      stream.close();
    }
  });
});
