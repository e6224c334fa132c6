/** Streaming limits on a full stack (Redis): presence and subscribe frames spend the user's budget; a per-user connection cap. */
import { get, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { startTestStack, type TestStack } from '../test/support/stack';
import { TestWs, waitFor } from './testing/stream-test-harness';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { RATE_LIMIT: '5', STREAM_MAX_CONNECTIONS_PER_USER: '2' } });
});
afterAll(async () => {
  await s.stop();
});

async function openWs(token: string): Promise<TestWs> {
  const client = new TestWs(new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws?access_token=${token}`));
  await new Promise((resolve, reject) => {
    client.ws.once('open', resolve);
    client.ws.once('error', reject);
  });
  return client;
}

/** Sends `count` frames with refs 0..count-1 and waits for an answer to each; returns the statuses of error answers by ref. */
async function sendAll(client: TestWs, count: number, frame: (ref: number) => Record<string, unknown>): Promise<Map<number, number>> {
  for (let ref = 0; ref < count; ref++) client.send(frame(ref));
  const last = await client.next((f) => f.ref === count - 1, 'the last answer');
  expect(last).toBeDefined();
  const errors = new Map<number, number>();
  for (const f of client.frames) if (f.type === 'error' && typeof f.ref === 'number') errors.set(f.ref, f.status as number);
  return errors;
}

describe('WebSocket frames share the per-user budget', () => {
  it('presence frames past the budget get 429 error frames with retry_after', async () => {
    const client = await openWs(s.bob.token);
    await client.next((f) => f.type === 'hello', 'hello');
    // Presence answers nothing on success, so each is followed by a ping to pace the answers.
    for (let ref = 0; ref < 8; ref++) client.send({ type: 'presence', ref, state: 'active' });
    client.send({ type: 'ping', ref: 'done' });
    await client.next((f) => f.type === 'pong', 'pong');
    const limited = await waitFor(() => (client.frames.filter((f) => f.type === 'error').length >= 3 ? client.frames.filter((f) => f.type === 'error') : null), '3 refusals');
    expect(limited.map((f) => f.ref)).toEqual([5, 6, 7]);
    expect(limited.every((f) => f.status === 429 && f.code === 'RATE_LIMITED' && Number(f.retry_after) >= 1)).toBe(true);
    client.ws.close();
  });

  it('subscribe frames past the budget get 429 error frames', async () => {
    const client = await openWs(s.carol.token);
    await client.next((f) => f.type === 'hello', 'hello');
    const errors = await sendAll(client, 7, (ref) => ({ type: 'subscribe', ref, flows: [], user: ref === 0 }));
    expect([...errors.entries()]).toEqual([[5, 429], [6, 429]]);
    client.ws.close();
  });
});

function openHttpStream(token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(`${s.url}/stream/flows/${s.flow.path}?access_token=${token}`, resolve).on('error', reject);
  });
}

describe('per-user connection cap', () => {
  it('refuses a third stream of one user (WebSocket: 429 frame and close 4029; HTTP: 429), and admits one again after a close', async () => {
    const first = await openWs(s.alice.token);
    await first.next((f) => f.type === 'hello', 'hello');
    const stream = await openHttpStream(s.alice.token);
    expect(stream.statusCode).toBe(200);

    const third = await openWs(s.alice.token);
    const refusal = await third.next((f) => f.type === 'error', 'the refusal');
    expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(String(refusal.message)).toContain('limit 2');
    await waitFor(() => third.closeCode, 'the close');
    expect(third.closeCode).toBe(4029);

    const refusedStream = await openHttpStream(s.alice.token);
    expect(refusedStream.statusCode).toBe(429);
    expect(refusedStream.headers['retry-after']).toBeDefined();
    refusedStream.resume();

    // Another user is not affected.
    const other = await openWs(s.bob.token);
    await other.next((f) => f.type === 'hello', 'hello for bob');
    other.ws.close();

    // The server sees the stream's close asynchronously: retry until a new connection is admitted.
    stream.destroy();
    let admitted = false;
    for (const deadline = Date.now() + 5000; !admitted && Date.now() < deadline; ) {
      const ws = await openWs(s.alice.token);
      const frame = await ws.next((f) => f.type === 'hello' || f.type === 'error', 'an answer');
      admitted = frame.type === 'hello';
      ws.ws.close();
    }
    expect(admitted).toBe(true);
    first.ws.close();
  });
});
