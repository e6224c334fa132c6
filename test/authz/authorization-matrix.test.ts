/**
 * The authorization matrix: every actor × every entry point on a flow, its messages, a thread and a
 * private conversation, and every live event type reaching exactly the users allowed to read it.
 * One stack (two streaming nodes) for the file; table-driven.
 */
import type { TestWs } from '../../streaming-api/testing/stream-test-harness';
import { type Frame, openStream, openWs } from './live-clients';
import { ACTORS, type Actor, buildWorld, type World } from './world';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
}, 60_000);
afterAll(async () => {
  await w.stop();
});

const READERS = new Set<Actor>(['admin', 'member']);
/** Status by actor: readers get `ok`; the rest as listed, else 404. */
const table = (ok: number, others: Partial<Record<Actor, number>> = {}): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, others[a] ?? (READERS.has(a) ? ok : 404)])) as Record<Actor, number>;

let ref = 0;
/** Sends a WebSocket frame and resolves with the status of its answer (`ack`/`subscribed` 200, or the error's). */
async function wsStatus(ws: TestWs, frame: Frame, answered: (f: Frame) => boolean): Promise<number> {
  const r = ++ref;
  ws.send({ ...frame, ref: r });
  const answer = await ws.next((f) => (f.type === 'error' && f.ref === r) || answered(f), `answer to ${String(frame.type)} ${r}`);
  return answer.type === 'error' ? (answer.status as number) : 200;
}

const cursorFor = (conversation: string): string => Buffer.from(JSON.stringify({ [conversation]: 0 })).toString('base64url');
const privateKey = (a: number, b: number): string => `private:${Math.min(a, b)}:${Math.max(a, b)}`;

/** One entry point: what `actor` gets (an HTTP status, or the status of the WebSocket answer). */
type EntryPoint = [name: string, expected: () => Record<Actor, number>, run: (actor: Actor) => Promise<number>];

const rest = (method: string, path: (actor: Actor) => string, body?: () => unknown) => async (actor: Actor) =>
  (await w.call(w.actors[actor], method, path(actor), body?.())).status;

/** Opens a stream; for a 200 also checks that a resumed stream backfilled `content`. */
async function streamStatus(actor: Actor, url: string, mode: 'json' | 'sse', lastEventId?: string, content?: string): Promise<number> {
  const stream = await openStream(url, w.actors[actor].auth, mode, lastEventId ? { 'last-event-id': lastEventId } : {});
  try {
    if (stream.status === 200 && content) await waitUntil(() => stream.events.some((e) => e.content === content), `backfill of ${content}`);
    if (stream.status !== 200 && content) expect(stream.events).toEqual([]);
    return stream.status;
  } finally {
    stream.close();
  }
}

async function waitUntil(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withWs<T>(actor: Actor, node: 0 | 1, run: (ws: TestWs) => Promise<T>): Promise<T> {
  const ws = await openWs(w.nodes[node].ws, w.actors[actor].auth);
  try {
    return await run(ws);
  } finally {
    ws.ws.terminate();
  }
}

const flowPath = () => `/flows/${w.open.path}`;
const fileBody = () => ({ event: 'file', content: { data: Buffer.from('matrix file').toString('base64'), file_name: 'matrix.txt', content_type: 'text/plain' } });
let seededFile: Promise<string> | null = null;
/** The path of a file the member uploaded once, for the download row. */
const filePath = (): Promise<string> => (seededFile ??= w.call(w.actors.member, 'POST', `${flowPath()}/messages`, fileBody()).then((r) => r.body.content.path as string));
const ENTRY_POINTS: EntryPoint[] = [
  ['REST show the flow', () => table(200, { nonJoined: 200 }), rest('GET', flowPath)],
  ['REST /flows/all lists it', () => table(200, { nonJoined: 200 }), async (a) => ((await w.call(w.actors[a], 'GET', '/flows/all')).body.some((f: Frame) => f.id === w.open.id) ? 200 : 404)],
  ['REST /flows lists it', () => table(200), async (a) => ((await w.call(w.actors[a], 'GET', '/flows')).body.some((f: Frame) => f.id === w.open.id) ? 200 : 404)],
  ['REST flow users', () => table(200, { nonJoined: 200 }), rest('GET', () => `${flowPath()}/users`)],
  ['REST read messages', () => table(200), rest('GET', () => `${flowPath()}/messages`)],
  ['REST read one message', () => table(200), rest('GET', () => `${flowPath()}/messages/${w.seeded.id}`)],
  ['REST read threads', () => table(200), rest('GET', () => `${flowPath()}/threads`)],
  ['REST read a thread', () => table(200), rest('GET', () => `${flowPath()}/threads/${w.seeded.threadId}`)],
  ['REST read a thread\'s messages', () => table(200), rest('GET', () => `${flowPath()}/threads/${w.seeded.threadId}/messages`)],
  ['REST post', () => table(201), rest('POST', () => `${flowPath()}/messages`, () => ({ event: 'message', content: 'matrix post' }))],
  ['REST post by flow id', () => table(201), rest('POST', () => '/messages', () => ({ flow: w.open.id, event: 'message', content: 'matrix post by id' }))],
  ['REST comment', () => table(201), rest('POST', () => `${flowPath()}/messages/${w.seeded.id}/comments`, () => ({ event: 'comment', content: 'matrix comment' }))],
  ['REST post into a thread', () => table(201), rest('POST', () => `${flowPath()}/threads/${w.seeded.threadId}/messages`, () => ({ event: 'message', content: 'matrix thread' }))],
  ['REST upload a file', () => table(201), rest('POST', () => `${flowPath()}/messages`, fileBody)],
  // Whoever may not read the flow gets the 404 of a file that does not exist.
  ['REST download a file', () => table(200), async (a) => (await w.call(w.actors[a], 'GET', await filePath())).status],
  ['REST retag a message', () => table(200), rest('PUT', () => `${flowPath()}/messages/${w.seeded.id}`, () => ({ tags: ['matrix'] }))],
  // The member wrote it (and may edit it: to the same text, so later backfills still find it); nobody else may.
  ['REST edit a message\'s content', () => table(403, { member: 200 }), rest('PUT', () => `${flowPath()}/messages/${w.seeded.id}`, () => ({ content: 'seeded history' }))],
  ['REST rename the flow', () => table(200, { nonJoined: 403 }), rest('PUT', flowPath, () => ({ name: 'Open' }))],
  ['REST archive setting', () => table(200, { member: 403, nonJoined: 403 }), rest('PUT', flowPath, () => ({ disabled: false }))],
  ['REST add a member', () => table(200, { nonJoined: 403 }), rest('POST', () => `${flowPath()}/users`, () => ({ id: w.actors.admin.id }))],
  // The flow is in organization mode: its join_url is its mode's, which a member may see but neither replace nor turn off (409).
  ['REST show the join link', () => table(200), rest('GET', () => `${flowPath()}/join_url`)],
  ['REST make a join link', () => table(409), rest('POST', () => `${flowPath()}/join_url`)],
  ['REST turn the join link off', () => table(409), rest('DELETE', () => `${flowPath()}/join_url`)],
  ['REST block an org admin', () => table(403, { nonJoined: 403 }), rest('PUT', () => `${flowPath()}/users/${w.actors.admin.id}`, () => ({ disabled: true }))],
  ['REST unblock oneself', () => table(403, { nonJoined: 403 }), rest('PUT', (a) => `${flowPath()}/users/${w.actors[a].id}`, () => ({ disabled: false }))],
  ['HTTP stream (JSON)', () => table(200), (a) => streamStatus(a, `${w.nodes[0].http}/flows/${w.open.path}`, 'json')],
  ['HTTP stream by filter id (node 2)', () => table(200), (a) => streamStatus(a, `${w.nodes[1].http}/flows?filter=${w.open.id}`, 'json')],
  ['SSE resume (Last-Event-ID)', () => table(200), (a) => streamStatus(a, `${w.nodes[1].http}/flows/${w.open.path}`, 'sse', `${w.open.id}:0`, 'seeded history')],
  ['SSE resume, cursor form', () => table(200), (a) => streamStatus(a, `${w.nodes[0].http}/flows?filter=${w.open.id}`, 'sse', cursorFor(w.open.id), 'seeded history')],
  ['WebSocket subscribe', () => table(200), (a) => withWs(a, 1, (ws) => wsStatus(ws, { type: 'subscribe', flows: [{ flow: w.open.path }] }, (f) => f.type === 'subscribed'))],
  [
    'WebSocket since-backfill',
    () => table(200),
    (a) =>
      withWs(a, 0, async (ws) => {
        const status = await wsStatus(ws, { type: 'subscribe', flows: [{ flow: w.open.id, since: 0 }] }, (f) => f.type === 'subscribed');
        expect(ws.events().some((e) => e.content === 'seeded history')).toBe(status === 200);
        return status;
      }),
  ],
  ['WebSocket post', () => table(200), (a) => withWs(a, 1, (ws) => wsStatus(ws, { type: 'post', flow: w.open.path, event: 'message', content: 'matrix ws post' }, (f) => f.type === 'ack'))],
  [
    'WebSocket typing',
    () => table(200),
    (a) =>
      withWs(a, 1, async (ws) => {
        await wsStatus(ws, { type: 'subscribe', flows: [{ flow: w.open.id }] }, (f) => f.type === 'subscribed');
        const me = String(w.actors[a].id);
        return wsStatus(ws, { type: 'typing', flow: w.open.id }, (f) => f.event === 'typing' && f.user === me);
      }),
  ],
  [
    'WebSocket presence',
    () => table(200),
    (a) =>
      withWs(a, 0, async (ws) => {
        await wsStatus(ws, { type: 'subscribe', flows: [{ flow: w.open.id }] }, (f) => f.type === 'subscribed');
        ws.send({ type: 'presence', state: 'active' });
        // Nobody else can tell a refused presence from one never sent: it must show nowhere (live section below).
        const me = String(w.actors[a].id);
        return ws.next((f) => f.event === 'activity.user' && f.user === me, 'own presence', 300).then(() => 200, () => 404);
      }),
  ],
];

describe.each(ENTRY_POINTS)('%s', (_name, expected, run) => {
  it.each(ACTORS)('%s', async (actor) => {
    expect(await run(actor)).toBe(expected()[actor]);
  });
});

describe('a private conversation (admin ↔ member)', () => {
  const conversation = () => privateKey(w.actors.admin.id, w.actors.member.id);
  it.each(ACTORS)('%s: REST history with the member holds it only for its two participants', async (actor) => {
    const r = await w.call(w.actors[actor], 'GET', `/private/${w.actors.member.id}/messages`);
    // Their own conversation with the member: people who share an organization with the member.
    expect(r.status).toBe(actor === 'member' || actor === 'outsider' || actor === 'removed' ? 404 : 200);
    if (r.status === 200) expect(r.body.some((m: Frame) => m.content === 'seeded private')).toBe(actor === 'admin');
  });
  it.each(ACTORS)('%s: an SSE cursor naming it resumes it only for a participant', async (actor) => {
    const stream = await openStream(`${w.nodes[1].http}/flows?filter=&user=1`, w.actors[actor].auth, 'sse', { 'last-event-id': cursorFor(conversation()) });
    expect(stream.status).toBe(200);
    const participant = READERS.has(actor);
    if (participant) await waitUntil(() => stream.events.some((e) => e.content === 'seeded private'), 'private backfill');
    else await new Promise((r) => setTimeout(r, 100));
    expect(stream.events.some((e) => e.content === 'seeded private')).toBe(participant);
    stream.close();
  });
  it('a conversation with the removed user resumes for neither side any more (they share no organization)', async () => {
    const gone = privateKey(w.actors.removed.id, w.actors.member.id);
    const cursor = Buffer.from(JSON.stringify({ [gone]: 0, [conversation()]: 0 })).toString('base64url');
    const member = await openStream(`${w.nodes[0].http}/flows?filter=&user=1`, w.actors.member.auth, 'sse', { 'last-event-id': cursor });
    const removed = await openStream(`${w.nodes[0].http}/flows?filter=&user=1`, w.actors.removed.auth, 'sse', { 'last-event-id': cursor });
    // The conversation still shared resumes in the same stream: by then the other would have too.
    await waitUntil(() => member.events.some((e) => e.content === 'seeded private'), 'member backfill');
    await new Promise((r) => setTimeout(r, 100));
    expect(member.events.map((e) => e.content)).toEqual(['seeded private']);
    expect(removed.events).toEqual([]);
    expect((await w.call(w.actors.removed, 'GET', `/private/${w.actors.member.id}/messages`)).status).toBe(404);
    expect((await w.call(w.actors.member, 'GET', `/private/${w.actors.removed.id}/messages`)).status).toBe(404);
    member.close();
    removed.close();
  });
});
