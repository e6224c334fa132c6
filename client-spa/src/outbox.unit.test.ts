/** The outbox: a post without an answer is queued and sent again with its uuid; a refusal is final; nothing is sent twice at once. */
import { Outbox, type OutgoingPost } from './outbox';
import type { FlowEvent } from './types';

class Refused extends Error {}

function harness(answers: (() => Promise<FlowEvent>)[]) {
  const log: string[] = [];
  const timers: (() => void)[] = [];
  const sent: string[] = [];
  const outbox = new Outbox({
    post: (item) => {
      sent.push(item.uuid);
      const next = answers.shift();
      return next ? next() : Promise.reject(new Error('no answer scripted'));
    },
    retryable: (e) => !(e instanceof Refused),
    onStored: (item, stored) => log.push(`stored ${item.uuid} as ${stored.id}`),
    onQueued: (item) => log.push(`queued ${item.uuid}`),
    onFailed: (item, reason) => log.push(`failed ${item.uuid}: ${reason}`),
    schedule: (run) => timers.push(run),
  });
  return { outbox, log, timers, sent };
}

const post: OutgoingPost = { uuid: 'u1', key: 'f', base: '/flows/acme/main', text: 'hi', sent: 1 };
const stored = (id: number): FlowEvent => ({ id, event: 'message', content: 'hi', flow: 'f', user: '1', uuid: 'u1', sent: 0 });
const settle = () => new Promise((r) => setTimeout(r, 0));

it('queues a post that got no answer and sends it again with the same uuid, on flush or when its backoff ends', async () => {
  const h = harness([() => Promise.reject(new TypeError('Failed to fetch')), () => Promise.reject(new TypeError('Failed to fetch')), () => Promise.resolve(stored(7))]);
  h.outbox.add(post);
  await settle();
  expect(h.log).toEqual(['queued u1']);
  h.outbox.flush();
  await settle();
  expect(h.timers).toHaveLength(1);
  h.timers[0]!();
  await settle();
  expect(h.log).toEqual(['queued u1', 'queued u1', 'stored u1 as 7']);
  expect(h.sent).toEqual(['u1', 'u1', 'u1']);
  expect(h.outbox.size).toBe(0);
});

it('gives up at once on a refusal, saying why', async () => {
  const h = harness([() => Promise.reject(new Refused('content: is too long'))]);
  h.outbox.add(post);
  await settle();
  expect(h.log).toEqual(['failed u1: content: is too long']);
  expect(h.outbox.size).toBe(0);
});

it('never has the same post in flight twice', async () => {
  let answer: (e: FlowEvent) => void = () => {};
  const h = harness([() => new Promise((resolve) => (answer = resolve))]);
  h.outbox.add(post);
  h.outbox.flush();
  h.outbox.flush();
  expect(h.sent).toEqual(['u1']);
  answer(stored(3));
  await settle();
  expect(h.log).toEqual(['stored u1 as 3']);
});
