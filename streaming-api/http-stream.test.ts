/** HTTP streaming (spec §4) end to end: real Postgres store + directory, in-process bus, a real server and http.get. */
import { encodeCursor } from './sse-cursor';
import { basic, StreamHarness, waitFor } from './testing/stream-test-harness';

let h: StreamHarness;
beforeAll(async () => {
  h = await StreamHarness.start({ keepAliveMs: 150 });
});
afterAll(async () => {
  await h.stop();
});

describe('HTTP streaming', () => {
  test('401 with a JSON body before any stream, for bad or missing credentials', async () => {
    const { flow } = await h.seedUser('nobody');
    const attempts: Record<string, string>[] = [{}, { authorization: basic('not-a-token') }, { authorization: 'Bearer nope' }];
    for (const headers of attempts) {
      const s = await h.stream(`/flows?filter=${flow.id}`, headers);
      expect(s.res.statusCode).toBe(401);
      await waitFor(() => s.body().length > 0, 'body');
      expect(JSON.parse(s.body())).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  test('404 for a flow the user cannot read; an organization-mode flow of their organization once they joined it', async () => {
    const alice = await h.seedUser('alice');
    const bob = await h.seedUser('bob');
    const hidden = await h.stream(`/flows?filter=${alice.flow.id},${bob.flow.id}`, { authorization: basic(alice.token) });
    expect(hidden.res.statusCode).toBe(404);
    const byPath = await h.stream(`/flows/${bob.path}`, { authorization: basic(alice.token) });
    expect(byPath.res.statusCode).toBe(404);
    const open = await h.directory.createFlow(alice.org.id, 'Open to org', 'organization');
    const ref = `${alice.org.parameterizedName}:${open.parameterizedName}`;
    // Joinable is not joined: REST shows the flow but not its messages, and streaming is REST's read.
    expect((await h.stream(`/flows?filter=${ref}`, { authorization: basic(alice.token) })).res.statusCode).toBe(404);
    await h.directory.setFlowOpen(open.id, alice.user.id, true);
    const visible = await h.stream(`/flows?filter=${ref}`, { authorization: basic(alice.token) });
    expect(visible.res.statusCode).toBe(200);
    visible.close();
  });

  test('JSON mode: each event is its bytes + "\\r\\n"; keep-alive is a lone "\\n"; headers per spec', async () => {
    const { user, flow, token } = await h.seedUser('json');
    const s = await h.stream(`/flows?filter=${flow.id}&user=1`, { authorization: basic(token, 'undefined'), accept: 'application/json' });
    expect(s.res.statusCode).toBe(200);
    expect(s.res.headers['content-type']).toBe('application/json');
    expect(s.res.headers['cache-control']).toBe('no-cache');
    expect(s.res.headers['flowdock-user']).toBe(String(user.id));
    await waitFor(() => s.body().includes('\n'), 'keep-alive');
    expect(s.body()).toMatch(/^\n+$/);
    const [m] = await h.persist(flow.id, 1);
    await waitFor(() => s.body().includes('\r\n'), 'event');
    const lines = s.body().replace(/^\n+/, '');
    expect(lines.startsWith(`${JSON.stringify(m)}\r\n`)).toBe(true);
    expect(s.body()).not.toMatch(/\r\n\r\n/);
    s.close();
  });

  test('an empty filter is accepted with user=1, refused without', async () => {
    const { token } = await h.seedUser('empty');
    const ok = await h.stream('/flows?filter=&user=1&active=idle', { authorization: `Bearer ${token}` });
    expect(ok.res.statusCode).toBe(200);
    ok.close();
    const bad = await h.stream(`/flows?filter=&access_token=${token}`);
    expect(bad.res.statusCode).toBe(400);
  });

  test('active=true publishes activity.user to the flow, and touches presence', async () => {
    const a = await h.seedUser('active');
    const watcher = await h.stream(`/flows?filter=${a.flow.id}`, { authorization: basic(a.token) });
    const actor = await h.stream(`/flows?filter=${a.flow.id}&active=true`, { authorization: basic(a.token) });
    const line = await waitFor(() => watcher.body().split('\r\n').find((l) => l.includes('activity.user')), 'activity.user');
    expect(JSON.parse(line.trim())).toMatchObject({ event: 'activity.user', user: String(a.user.id), flow: a.flow.id, content: { last_activity: expect.any(Number) } });
    expect((await h.presence.lastActivity(a.flow.id)).has(a.user.id)).toBe(true);
    watcher.close();
    actor.close();
  });

  test('events lost on the bus reach a JSON stream from the store, in order, once', async () => {
    const { flow, token } = await h.seedUser('jsongap');
    const s = await h.stream(`/flows?filter=${flow.id}`, { authorization: basic(token) });
    await waitFor(() => s.body().includes('\n'), 'keep-alive');
    await h.persist(flow.id, 1);
    await h.persist(flow.id, 2, { publish: false });
    await h.persist(flow.id, 1);
    const ids = () => s.body().split('\r\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l).id);
    await waitFor(() => ids().length >= 4, 'four events');
    expect(ids()).toEqual([1, 2, 3, 4]);
    s.close();
  });

  test('SSE: id + data frames, and Last-Event-ID resumes without gap or duplicate', async () => {
    const { flow, token } = await h.seedUser('sse');
    await h.persist(flow.id, 2);
    const s = await h.stream(`/flows?filter=${flow.id}&accept=text/event-stream`, { authorization: basic(token) });
    expect(s.res.headers['content-type']).toBe('text/event-stream');
    await waitFor(() => s.body().includes(':\n\n'), 'SSE keep-alive comment');
    const [m3] = await h.persist(flow.id, 1);
    const frame = await waitFor(() => /id: (\S+)\ndata: (.+)\n\n/.exec(s.body()), 'SSE frame');
    expect(JSON.parse(frame[2]!)).toEqual(m3);
    expect(frame[1]).toBe(encodeCursor({ [flow.id]: 3 }));
    s.close();
    // Missed while disconnected: 4..6; live right after reconnecting: 7.
    await h.persist(flow.id, 3, { publish: false });
    const again = await h.stream(`/flows?filter=${flow.id}`, { authorization: basic(token), accept: 'text/event-stream', 'last-event-id': frame[1]! });
    await h.persist(flow.id, 1);
    await waitFor(() => (again.body().match(/data: /g) ?? []).length >= 4, 'backfill + live');
    await new Promise((r) => setTimeout(r, 50));
    const ids = [...again.body().matchAll(/data: (.+)\n\n/g)].map((x) => JSON.parse(x[1]!).id);
    expect(ids).toEqual([4, 5, 6, 7]);
    again.close();
  });
});
