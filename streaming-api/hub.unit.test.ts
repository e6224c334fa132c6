/** Unit tests of the hub, the connection queue and the resume cursors, on the in-process bus. */
import type { User } from '../core/domain/types';
import { InProcessBus } from '../core/in-process/in-process-bus';
import type { Bus } from '../core/ports/bus';
import { Connection, type Outgoing, type Sink } from './connection';
import { ConversationCursors } from './conversation-cursors';
import type { Envelope } from './envelope';
import { EnvelopeBatch } from './envelope-batch';
import { FlushScheduler } from './flush-scheduler';
import { Hub } from './hub';

const user = { id: 7, nick: 'u', name: 'U', email: 'u@x', avatar: null, website: null, createdAt: new Date() } satisfies User;
const tick = () => new Promise((r) => setImmediate(r));
const envelope = (id: number | null, conversation = 'f1'): Envelope => ({ bytes: Buffer.from(`{"id":${id}}`), id, conversation, sent: null });

class RecordingSink implements Sink {
  readonly transport = 'ws' as const;
  readonly writes: (readonly Outgoing[])[] = [];
  buffered = 0;
  closedWith: string | null = null;
  bufferedBytes = () => this.buffered;
  write = (items: readonly Outgoing[]) => void this.writes.push(items);
  keepAlive = () => {};
  close = (reason: string) => void (this.closedWith = reason);
}

const throwing = (e: unknown) => {
  throw e;
};
/** A hub on `bus` with a scheduler of its own (slices of 2, so that slicing is exercised). */
const hubOn = (bus: Bus = {} as Bus) => new Hub(bus, new FlushScheduler(2, throwing));
/** The event bodies a sink was asked to write, batches expanded, in order. */
const bodiesOf = (items: readonly Outgoing[]) => items.flatMap((o) => (o.kind === 'batch' ? o.batch.envelopes.map((e) => e.bytes) : [o.body]));
/** A member that records the batches it is handed. */
const recordingMember = (seen: EnvelopeBatch[]) => ({ deliverBatch: (b: EnvelopeBatch) => void seen.push(b) });

/** What a store would answer to a gap fill: the stored envelopes after `after`, or null (too many / failed). */
type Stored = (conversation: string, after: number) => Promise<readonly Envelope[] | null>;
const nothingStored: Stored = async () => [];

function connectionOn(hub: Hub, sink: Sink, limit = 1 << 20, stored = nothingStored) {
  const scheduler = new FlushScheduler(2, throwing);
  const slow: Connection[] = [];
  const gaps: (number | null)[] = [];
  const c = new Connection(user, sink, {
    hub, scheduler, sendBufferLimitBytes: limit, intern: (value) => value, onDelivered: () => {}, onSlowConsumer: (x) => void slow.push(x), onClosed: () => {},
    fillGap: stored, onGap: (_conversation, filled) => void gaps.push(filled),
  });
  c.markReady();
  return { c, slow, gaps };
}

describe('Hub', () => {
  test('hands the very same Buffer to every member, through one bus subscription', async () => {
    const bus = new InProcessBus();
    const subscribe = jest.spyOn(bus, 'subscribe');
    const hub = hubOn(bus);
    const seen: Buffer[] = [];
    const member = { deliverBatch: (b: EnvelopeBatch) => void seen.push(...b.envelopes.map((e) => e.bytes)) };
    const other = { deliverBatch: (b: EnvelopeBatch) => void seen.push(...b.envelopes.map((e) => e.bytes)) };
    await hub.join('flow:a', member);
    await hub.join('flow:a', other);
    expect(subscribe).toHaveBeenCalledTimes(1);
    const payload = Buffer.from(JSON.stringify({ id: 1, flow: 'a', event: 'message' }));
    await bus.publish('flow:a', payload);
    await tick();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(payload);
    expect(seen[1]).toBe(payload);
    await hub.leave('flow:a', member);
    expect(hub.channelCount()).toBe(1);
    await hub.leave('flow:a', other);
    expect(hub.channelCount()).toBe(0);
  });

  test('the same Buffer reaches the sinks of two connections', async () => {
    const bus = new InProcessBus();
    const hub = hubOn(bus);
    const sinks = [new RecordingSink(), new RecordingSink()];
    for (const sink of sinks) await connectionOn(hub, sink).c.join('flow:a');
    const payload = Buffer.from(JSON.stringify({ id: 1, flow: 'a' }));
    await bus.publish('flow:a', payload);
    await tick();
    await tick();
    expect(bodiesOf(sinks[0]!.writes[0]!)[0]).toBe(payload);
    expect(bodiesOf(sinks[1]!.writes[0]!)[0]).toBe(payload);
  });

  test('coalesces the deliveries of one turn into one write, and drops duplicates', async () => {
    const hub = hubOn();
    const sink = new RecordingSink();
    const { c } = connectionOn(hub, sink);
    c.deliver(envelope(1));
    c.deliver(envelope(2));
    c.deliver(envelope(2));
    c.deliver(envelope(null));
    await tick();
    expect(sink.writes).toHaveLength(1);
    expect(bodiesOf(sink.writes[0]!).map(String)).toEqual(['{"id":1}', '{"id":2}', '{"id":null}']);
  });

  test('closes a slow consumer without delaying the others', async () => {
    const hub = hubOn();
    const slowSink = new RecordingSink();
    slowSink.buffered = 900;
    const fastSink = new RecordingSink();
    const slow = connectionOn(hub, slowSink, 1000);
    const fast = connectionOn(hub, fastSink, 1000);
    const big: Envelope = { bytes: Buffer.alloc(200, 32), id: null, conversation: null, sent: null };
    slow.c.deliver(big);
    fast.c.deliver(big);
    expect(slowSink.closedWith).toBe('slow consumer');
    expect(slow.slow).toHaveLength(1);
    await tick();
    expect(fastSink.writes).toHaveLength(1);
    expect(slowSink.writes).toHaveLength(0);
  });
});

describe('ConversationCursors', () => {
  test('holds live events during a backfill and releases only the newer ones', () => {
    const cursors = new ConversationCursors();
    const state = cursors.hold('f1', 3);
    expect(cursors.admit(envelope(5))).toBe('skip');
    expect(cursors.admit(envelope(6))).toBe('skip');
    expect(cursors.admit(envelope(1, 'other'))).toBe('send');
    state.last = 5; // backfilled 4 and 5
    const released = cursors.release('f1', state, 5);
    expect(released).toEqual({ events: [envelope(6)], gap: false });
    expect(cursors.admit(envelope(6))).toBe('skip');
    expect(cursors.admit(envelope(7))).toBe('send');
    expect(cursors.snapshot()).toEqual({ f1: 7, other: 1 });
  });

  test('an id beyond the next one holds the conversation; a release stops at a gap among the held', () => {
    const cursors = new ConversationCursors();
    expect(cursors.admit(envelope(1))).toBe('send');
    expect(cursors.admit(envelope(4))).toBe('gap');
    const state = cursors.stateOf('f1')!;
    expect(state.last).toBe(1);
    expect(cursors.admit(envelope(5))).toBe('skip');
    expect(cursors.admit(envelope(8))).toBe('skip');
    // The fill brought 2 and 3: 4 and 5 go out, 8 waits for 6 and 7.
    expect(cursors.release('f1', state, 3)).toEqual({ events: [envelope(4), envelope(5)], gap: true });
    expect(state).toEqual({ last: 5, pending: [envelope(8)] });
    expect(cursors.release('f1', state, 7)).toEqual({ events: [envelope(8)], gap: false });
    expect(cursors.admit(envelope(9))).toBe('send');
  });

  test('a conversation with no known position starts at whatever comes first', () => {
    const cursors = new ConversationCursors();
    const state = cursors.hold('f1', undefined);
    expect(cursors.admit(envelope(10))).toBe('skip');
    expect(cursors.release('f1', state, -1)).toEqual({ events: [envelope(10)], gap: false });
    expect(cursors.admit(envelope(11))).toBe('send');
  });
});

describe('Connection gap filling', () => {
  const bodies = (sink: RecordingSink) => bodiesOf(sink.writes.flat()).map(String);

  test('fills a gap from the store before the event that revealed it, once, in order', async () => {
    const sink = new RecordingSink();
    const stored: Stored = async (_conversation, after) => [2, 3, 4].filter((id) => id > after).map((id) => envelope(id));
    const { c, gaps } = connectionOn(hubOn(), sink, 1 << 20, stored);
    c.deliver(envelope(1));
    c.deliver(envelope(4));
    c.deliver(envelope(5));
    c.deliver(envelope(3));
    for (let i = 0; i < 5; i++) await tick();
    expect(bodies(sink)).toEqual([1, 2, 3, 4, 5].map((id) => `{"id":${id}}`));
    expect(gaps).toEqual([3]);
  });

  test('a gap the store cannot fill is answered with resync, then the held events', async () => {
    const sink = new RecordingSink();
    const { c, gaps } = connectionOn(hubOn(), sink, 1 << 20, async () => null);
    c.deliver(envelope(1));
    c.deliver(envelope(9));
    for (let i = 0; i < 5; i++) await tick();
    expect(bodies(sink)).toEqual(['{"id":1}', '{"type":"resync","flow":"f1","reason":"missed events","last_id":8}', '{"id":9}']);
    expect(gaps).toEqual([null]);
  });

  test('a store that never holds the missing ids cannot make the connection ask forever', async () => {
    const sink = new RecordingSink();
    let reads = 0;
    const { c } = connectionOn(hubOn(), sink, 1 << 20, async () => {
      reads++;
      return [];
    });
    c.deliver(envelope(1));
    c.deliver(envelope(5));
    for (let i = 0; i < 10; i++) await tick();
    expect(reads).toBe(3);
    expect(bodies(sink).at(-1)).toBe('{"id":5}');
  });

  test('catch-up after a bus gap sends what the store holds beyond the cursor', async () => {
    const sink = new RecordingSink();
    const { c } = connectionOn(hubOn(), sink, 1 << 20, async (_conversation, after) => (after === 1 ? [envelope(2), envelope(3)] : []));
    c.deliver(envelope(1));
    c.catchUp('f1');
    for (let i = 0; i < 5; i++) await tick();
    c.deliver(envelope(3));
    c.deliver(envelope(4));
    await tick();
    expect(bodies(sink)).toEqual([1, 2, 3, 4].map((id) => `{"id":${id}}`));
  });
});

describe('Hub batches (ADR 023)', () => {
  const flowEvent = (id: number) => Buffer.from(JSON.stringify({ id, flow: 'a', event: 'message' }));

  test("a channel's events of one turn reach every member as the same batch, framed once; a slow member is cut alone", async () => {
    const bus = new InProcessBus();
    const hub = hubOn(bus);
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    sinks[2]!.buffered = 90;
    const connections = sinks.map((sink) => connectionOn(hub, sink, 100));
    for (const { c } of connections) await c.join('flow:a');
    const payloads = [flowEvent(1), flowEvent(2)];
    for (const p of payloads) await bus.publish('flow:a', p);
    for (let i = 0; i < 3; i++) await tick();
    expect(sinks[2]!.closedWith).toBe('slow consumer');
    expect(sinks[2]!.writes).toHaveLength(0);
    const [first, second] = sinks.slice(0, 2).map((sink) => {
      expect(sink.writes).toHaveLength(1);
      expect(sink.writes[0]).toHaveLength(1);
      const item = sink.writes[0]![0]!;
      if (item.kind !== 'batch') throw new Error(`expected a batch, got ${item.kind}`);
      return item.batch;
    });
    expect(second).toBe(first);
    expect(bodiesOf(sinks[0]!.writes[0]!)).toEqual(payloads);
    // Built on first use, then the very same bytes for every subscriber.
    expect(first!.wsFrames()).toBe(second!.wsFrames());
    expect(first!.wsFrames()).toEqual(Buffer.concat(payloads.flatMap((p) => [Buffer.from([0x81, p.length]), p])));
    expect(first!.jsonLines().toString()).toBe(payloads.map((p) => `${p}\r\n`).join(''));
  });

  test('a member that leaves before the flush gets nothing of what was pending', async () => {
    const bus = new InProcessBus();
    const hub = hubOn(bus);
    const kept: EnvelopeBatch[] = [];
    const gone: EnvelopeBatch[] = [];
    const stays = recordingMember(kept);
    const leaves = recordingMember(gone);
    await hub.join('flow:a', stays);
    await hub.join('flow:a', leaves);
    await bus.publish('flow:a', flowEvent(1));
    void hub.leave('flow:a', leaves);
    for (let i = 0; i < 3; i++) await tick();
    expect(gone).toEqual([]);
    expect(kept.map((b) => b.size)).toEqual([1]);
  });

  test('a member whose cursor the batch does not continue takes its events one by one: gap filled first, no duplicates', async () => {
    const hub = hubOn();
    const behind = new RecordingSink();
    const current = new RecordingSink();
    const stored: Stored = async (_conversation, after) => [2].filter((id) => id > after).map((id) => envelope(id));
    const a = connectionOn(hub, behind, 1 << 20, stored).c;
    const b = connectionOn(hub, current, 1 << 20).c;
    a.deliver(envelope(1));
    b.deliverBatch(new EnvelopeBatch([envelope(1), envelope(2)]));
    const batch = new EnvelopeBatch([envelope(2), envelope(3), envelope(4)]);
    a.deliverBatch(batch);
    b.deliverBatch(batch);
    for (let i = 0; i < 5; i++) await tick();
    expect(bodiesOf(behind.writes.flat()).map(String)).toEqual([1, 2, 3, 4].map((id) => `{"id":${id}}`));
    // b was at 2: the batch's 2 is a duplicate, so it too goes event by event and drops it.
    expect(bodiesOf(current.writes.flat()).map(String)).toEqual([1, 2, 3, 4].map((id) => `{"id":${id}}`));
    expect(current.writes.flat().map((o) => o.kind)).toEqual(['batch', 'event', 'event']);
  });
});

describe('Hub last ids (ADR 032)', () => {
  const payload = (id: number) => JSON.stringify({ id, flow: 'f1', event: 'message' });

  test('known only after a store read was noted, raised by what was handed out before and after it', async () => {
    const bus = new InProcessBus();
    const hub = hubOn(bus);
    const member = recordingMember([]);
    await hub.join('flow:f1', member);
    await bus.publish('flow:f1', payload(4));
    await tick();
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBeUndefined();
    // A read that began before event 4 was handed out saw 3: the hub keeps the newer 4.
    hub.noteLastId('flow:f1', member, 'f1', 3);
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBe(4);
    await bus.publish('flow:f1', payload(5));
    await bus.publish('flow:f1', payload(6));
    await tick();
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBe(6);
    expect(hub.knownLastId('flow:f1', member, 'other')).toBeUndefined();
  });

  test('answered only to a member, noted only by one, and forgotten after a bus gap', async () => {
    const bus = new InProcessBus();
    const hub = hubOn(bus);
    const member = recordingMember([]);
    const stranger = recordingMember([]);
    await hub.join('flow:f1', member);
    hub.noteLastId('flow:f1', stranger, 'f1', 9);
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBeUndefined();
    hub.noteLastId('flow:f1', member, 'f1', 9);
    expect(hub.knownLastId('flow:f1', stranger, 'f1')).toBeUndefined();
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBe(9);
    hub.forgetLastIds();
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBeUndefined();
  });

  test('a channel subscribed again starts unknown', async () => {
    const hub = hubOn(new InProcessBus());
    const member = recordingMember([]);
    await hub.join('flow:f1', member);
    hub.noteLastId('flow:f1', member, 'f1', 9);
    await hub.leave('flow:f1', member);
    await hub.join('flow:f1', member);
    expect(hub.knownLastId('flow:f1', member, 'f1')).toBeUndefined();
  });
});

describe('EnvelopeBatch', () => {
  test('an id run only when the ids follow one another in one conversation', () => {
    expect(new EnvelopeBatch([envelope(3), envelope(null), envelope(4)]).run).toEqual({ conversation: 'f1', first: 3, last: 4 });
    expect(new EnvelopeBatch([envelope(null), envelope(null)]).run).toBeNull();
    expect(new EnvelopeBatch([envelope(3), envelope(5)]).run).toBeUndefined();
    expect(new EnvelopeBatch([envelope(3), envelope(4, 'f2')]).run).toBeUndefined();
  });

  test('frames bodies of every length class as unmasked final text frames', () => {
    const body = (n: number): Envelope => ({ bytes: Buffer.alloc(n, 120), id: null, conversation: null, sent: null });
    const frames = new EnvelopeBatch([body(125), body(126), body(70_000)]).wsFrames();
    expect([...frames.subarray(0, 2)]).toEqual([0x81, 125]);
    const second = 2 + 125;
    expect([...frames.subarray(second, second + 2)]).toEqual([0x81, 126]);
    expect(frames.readUInt16BE(second + 2)).toBe(126);
    const third = second + 4 + 126;
    expect([...frames.subarray(third, third + 2)]).toEqual([0x81, 127]);
    expect(frames.readBigUInt64BE(third + 2)).toBe(70_000n);
    expect(frames.length).toBe(third + 10 + 70_000);
  });
});
