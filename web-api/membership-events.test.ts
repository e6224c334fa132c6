/** Membership changes reach streams live (what hubot reconnects on): flow-add, backend.user.join, backend.user.block. */
import http from 'node:http';
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

/** Opens a JSON stream and collects the events it receives. */
function openStream(path: string, auth: string): Promise<{ events: { event: string; user: string; content: { id?: string; user?: { nick: string } } }[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${s.url}${path}`, { headers: { authorization: auth, accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      const events: { event: string; user: string; content: { id?: string } }[] = [];
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\r\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', () => undefined);
  });
}

async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

it('tells a user on a user=1 stream that they were added to a flow, and the flow that they joined', async () => {
  const carolStream = await openStream('/stream/flows?filter=&user=1', s.carol.auth);
  const flowStream = await openStream(`/stream/flows?filter=${s.flow.path}`, s.alice.auth);
  expect((await api(s, 'POST', `/flows/${s.flow.path}/users`, { auth: s.alice.auth, body: { id: s.carol.id } })).status).toBe(200);
  await eventually(() => carolStream.events.length > 0 && flowStream.events.length > 0);
  expect(carolStream.events).toEqual([expect.objectContaining({ event: 'flow-add', user: String(s.carol.id), content: expect.objectContaining({ id: s.flow.id }) })]);
  expect(flowStream.events).toEqual([expect.objectContaining({ event: 'backend.user.join', content: { user: expect.objectContaining({ nick: 'carol' }) } })]);

  expect((await api(s, 'PUT', `/flows/${s.flow.path}/users/${s.carol.id}`, { auth: s.alice.auth, body: { disabled: true } })).status).toBe(200);
  await eventually(() => flowStream.events.length > 1);
  expect(flowStream.events[1]).toMatchObject({ event: 'backend.user.block', content: s.carol.id });
  // Blocked: the flow is now invisible to carol.
  expect((await api(s, 'GET', `/flows/${s.flow.path}`, { auth: s.carol.auth })).status).toBe(404);
  carolStream.close();
  flowStream.close();
});
