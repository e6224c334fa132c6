/**
 * Property-based fuzzing of every REST endpoint and every WebSocket frame type against a whole
 * Tributary on real Postgres and Redis. Whatever a client sends: never a 5xx (nor a WebSocket
 * error frame with a 5xx status), the write path still saves posts on every shard afterwards, and
 * the store's invariants hold. `npm test` runs a fixed seed; `npm run fuzz` a random one, printed.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { shardOf } from '../../core/messaging/shards';
import { api, startTestStack, type TestStack } from '../support/stack';
import { body, encoding, jsonValue, nastyString, rawQuery, rawSegment, toFormText, toJsonText, wsFrame } from './arbitraries';
import { fuzzSettings } from './fuzz-settings';
import { storeInvariantViolations } from './store-invariants';

const settings = fuzzSettings();
if (process.env.FUZZ_VERBOSE) console.log(`fuzz: FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs}`);

let s: TestStack;
let messageId: number;
let threadId: string;
beforeAll(async () => {
  s = await startTestStack({ env: { RATE_LIMIT: '100000', BODY_LIMIT: '256kb' } });
  const posted = await api(s, 'POST', `/flows/${s.flow.path}/messages`, {
    auth: s.alice.auth,
    body: { event: 'discussion', title: 'seed', author: { name: 'Seed' }, external_thread_id: 'seed', thread: { title: 'Seed thread' } },
  });
  expect(posted.status).toBe(201);
  messageId = posted.body.id;
  threadId = posted.body.thread_id;
}, 60_000);
afterAll(async () => {
  await s.stop();
});

/** Every REST route with its method; `:name` segments are filled with valid or hostile values. */
const ROUTES: [string, string][] = [
  ['GET', '/user'], ['GET', '/users'], ['GET', '/users/:user'], ['PUT', '/users/:user'],
  ['GET', '/organizations'], ['GET', '/organizations/find'], ['GET', '/organizations/:org'], ['PUT', '/organizations/:org'],
  ['GET', '/organizations/:org/users'], ['DELETE', '/organizations/:org/users/:user'],
  ['GET', '/flows'], ['GET', '/flows/all'], ['GET', '/flows/find'], ['GET', '/flows/:org/:flow'], ['POST', '/flows/:org'],
  ['PUT', '/flows/:org/:flow'], ['GET', '/flows/:org/:flow/users'], ['POST', '/flows/:org/:flow/users'], ['PUT', '/flows/:org/:flow/users/:user'],
  ['GET', '/private'], ['GET', '/private/:user'], ['PUT', '/private/:user'], ['POST', '/private/:user/messages'],
  ['GET', '/private/:user/messages'], ['GET', '/private/:user/messages/:message'],
  ['POST', '/messages'], ['POST', '/comments'], ['POST', '/flows/:org/:flow/messages'], ['POST', '/flows/:org/:flow/messages/:message/comments'],
  ['POST', '/flows/:org/:flow/threads/:thread/messages'], ['GET', '/flows/:org/:flow/messages'], ['GET', '/flows/:org/:flow/messages/:message'],
  ['PUT', '/flows/:org/:flow/messages/:message'], ['DELETE', '/flows/:org/:flow/messages/:message'], ['GET', '/flows/:org/:flow/threads'],
  ['GET', '/flows/:org/:flow/threads/:thread'], ['GET', '/flows/:org/:flow/threads/:thread/messages'],
  ['GET', '/stream/flows'], ['GET', '/stream/flows/:org/:flow'], ['GET', '/v1/flows/:org/:flow/messages'],
  ['PUT', '/user'], ['GET', '/flows/:org/:flow/join'], ['POST', '/flows/:org/:flow/join'],
  ['GET', '/flows/:org/:flow/join/:token'], ['POST', '/flows/:org/:flow/join/:token'],
  ['GET', '/flows/:org/:flow/join_url'], ['POST', '/flows/:org/:flow/join_url'], ['DELETE', '/flows/:org/:flow/join_url'],
  ['GET', '/unsubscribe/:token'], ['POST', '/unsubscribe/:token'],
];

function validParam(name: string): string {
  switch (name) {
    case 'org':
      return s.org.name;
    case 'flow':
      return s.flow.path.split('/')[1]!;
    case 'user':
      return String(s.bob.id);
    case 'message':
      return String(messageId);
    default:
      return threadId;
  }
}

/** Who the request claims to be: a valid token, nobody, or broken credentials. */
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant('valid') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: nastyString.map((v) => `Basic ${Buffer.from(`${v}:${v}`).toString('base64')}`) },
  { weight: 1, arbitrary: nastyString.map((v) => `Basic ${Buffer.from(`a@b.c:${v}`).toString('base64')}`) },
);

const restRequest = fc.record({
  route: fc.constantFrom(...ROUTES),
  params: fc.array(fc.option(rawSegment, { freq: 2 }), { minLength: 4, maxLength: 4 }),
  query: fc.option(rawQuery, { freq: 2 }),
  body: fc.option(body, { freq: 4 }),
  encoding,
  auth: authorization,
});

type RestRequest = typeof restRequest extends fc.Arbitrary<infer T> ? T : never;

function payloadOf(r: RestRequest): Buffer | null {
  if (r.body === null) return null;
  const text = r.encoding.contentType.startsWith('application/x-www-form-urlencoded') ? toFormText(r.body) : toJsonText(r.body);
  const bytes = Buffer.from(text, 'utf8');
  return r.encoding.contentEncoding === 'gzip' && text.length % 2 === 0 ? gzipSync(bytes) : bytes;
}

/** Sends the request with node:http, so that the path goes out byte for byte as generated. */
function send(r: RestRequest): Promise<{ status: number; text: string; path: string }> {
  let index = 0;
  const path =
    r.route[1].replace(/:(\w+)/g, (_m, name: string) => r.params[index++] ?? validParam(name)) + (r.query === null ? '' : `?${r.query}`);
  const payload = payloadOf(r);
  const headers: Record<string, string | number> = {};
  if (r.auth === 'valid') headers.authorization = `Bearer ${s.alice.token}`;
  else if (r.auth !== undefined) headers.authorization = r.auth;
  if (payload) {
    headers['content-type'] = r.encoding.contentType;
    headers['content-length'] = payload.length;
    if (r.encoding.contentEncoding) headers['content-encoding'] = r.encoding.contentEncoding;
  }
  const url = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: r.route[0], path, headers }, (res) => {
      // Streams stay open: the status is all this test needs.
      if (path.startsWith('/stream') && res.statusCode === 200) {
        req.destroy();
        resolve({ status: 200, text: '', path });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, path }));
    });
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

describe('fuzzing the REST API', () => {
  test('no request gets a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(restRequest, async (r) => {
        const answer = await send(r);
        if (answer.status >= 500) throw new Error(`${r.route[0]} ${answer.path} → ${answer.status} ${answer.text.slice(0, 300)}`);
      }),
      { seed: settings.seed, numRuns: settings.runs },
    );
  }, 300_000);
});

/** Closes that answer bad input (normal, policy violation, too big) or are ours (4xxx); never 1006 or 1011. */
const ACCEPTABLE_CLOSE = new Set([1000, 1008, 1009]);

/** A WebSocket client that keeps every frame the server sent and how it closed. */
async function openWs(): Promise<{ ws: WebSocket; frames: Record<string, unknown>[]; closed: () => number | null }> {
  const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${s.alice.token}` } });
  const frames: Record<string, unknown>[] = [];
  let closeCode: number | null = null;
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  ws.on('close', (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed: () => closeCode };
}

/** Resolves once the server answers a ping: every frame before it has been handled. */
async function roundTrip(client: Awaited<ReturnType<typeof openWs>>, ref: string): Promise<void> {
  client.ws.send(JSON.stringify({ type: 'ping', ref }));
  const deadline = Date.now() + 10_000;
  while (!client.frames.some((f) => f.type === 'pong' && f.ref === ref)) {
    if (client.closed() !== null) return;
    if (Date.now() > deadline) throw new Error(`no pong for ${ref}: the session stalled`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('fuzzing message content', () => {
  test('hostile values survive a round trip when they are storable', async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, async (value) => {
        const content = typeof value === 'string' ? value : toJsonText(value);
        const posted = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content } });
        if (posted.status >= 500) throw new Error(`${posted.status} for ${content.slice(0, 80)}`);
        if (posted.status === 201) {
          const read = await api(s, 'GET', `/flows/${s.flow.path}/messages/${posted.body.id}`, { auth: s.alice.auth });
          expect(read.body.content).toBe(content);
        }
      }),
      // The poison that once stopped the write path for everyone is always among the inputs.
      { seed: settings.seed, numRuns: Math.max(1, Math.floor(settings.runs / 10)), examples: [['x\u0000y'], ['\ud800'], [{ 'k\u0000': 'v' }]] },
    );
  }, 120_000);
});

describe('fuzzing the WebSocket API', () => {
  test('no frame gets a 5xx error or an internal-error close, and the session keeps answering', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ weight: 6, arbitrary: wsFrame }, { weight: 1, arbitrary: nastyString }), { minLength: 1, maxLength: 8 }), async (frames) => {
        const client = await openWs();
        try {
          for (const frame of frames) client.ws.send(typeof frame === 'string' ? frame : toJsonText(frame));
          await roundTrip(client, `probe-${n++}`);
          const bad = client.frames.find((f) => f.type === 'error' && typeof f.status === 'number' && f.status >= 500);
          if (bad) throw new Error(`error frame ${JSON.stringify(bad)} for ${fc.stringify(frames).slice(0, 300)}`);
          const code = client.closed();
          if (code !== null && !ACCEPTABLE_CLOSE.has(code) && (code < 4000 || code > 4999)) throw new Error(`closed with ${code} for ${fc.stringify(frames).slice(0, 300)}`);
        } finally {
          client.ws.terminate();
        }
      }),
      { seed: settings.seed, numRuns: Math.max(1, Math.floor(settings.runs / 4)) },
    );
  }, 300_000);
});

describe('after the fuzzing', () => {
  test('posts to every shard are still saved', async () => {
    const shards = s.config.SHARDS;
    const covered = new Set<number>();
    for (let i = 0; covered.size < shards && i < 200; i++) {
      const created = await api(s, 'POST', `/flows/${s.org.name}`, { auth: s.alice.auth, body: { name: `After ${i}` } });
      expect(created.status).toBe(201);
      const shard = shardOf(created.body.id, shards);
      if (covered.has(shard)) continue;
      covered.add(shard);
      const posted = await api(s, 'POST', '/messages', { auth: s.alice.auth, body: { flow: created.body.id, event: 'message', content: `still saving ${shard}` } });
      expect(posted.status).toBe(201);
    }
    expect(covered.size).toBe(shards);
  }, 120_000);

  test("the store's invariants hold", async () => {
    expect(await storeInvariantViolations(s.db.pool)).toEqual([]);
  });

});
