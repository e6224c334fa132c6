/** The Bus contract suite: every Bus implementation runs it (in-process and Redis). */
import { randomBytes } from 'node:crypto';
import type { Bus } from '../ports/bus';

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs` so a failing test says what it waited for. */
async function eventually(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Gives delivery a chance to happen, to assert that something did NOT arrive. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

/**
 * Defines the Bus contract tests. `make` returns a fresh bus; the suite closes it after each test.
 * Channel names are random per test, so buses made for one test file may share a namespace.
 */
export function busContract(name: string, make: () => Promise<Bus>): void {
  describe(`${name} (Bus contract)`, () => {
    let bus: Bus;
    let channel: string;

    beforeEach(async () => {
      bus = await make();
      channel = `c-${randomBytes(4).toString('hex')}`;
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers what is published after subscribe resolved, with the channel name', async () => {
      const got: [string, string][] = [];
      await bus.subscribe(channel, (payload, ch) => got.push([payload.toString(), ch]));
      await bus.publish(channel, 'hello');
      await eventually(() => got.length === 1, 'one delivery');
      expect(got).toEqual([['hello', channel]]);
    });

    it('preserves publish order per channel over 1000 publishes', async () => {
      const got: number[] = [];
      await bus.subscribe(channel, (payload) => got.push(Number(payload.toString())));
      await Promise.all(Array.from({ length: 1000 }, (_, i) => bus.publish(channel, String(i))));
      await eventually(() => got.length === 1000, '1000 deliveries');
      expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    });

    it('hands every local subscriber the same Buffer', async () => {
      const got: Buffer[][] = [[], []];
      await bus.subscribe(channel, (payload) => got[0]?.push(payload));
      await bus.subscribe(channel, (payload) => got[1]?.push(payload));
      await bus.publish(channel, Buffer.from([0, 1, 2, 255]));
      await eventually(() => got[0]?.length === 1 && got[1]?.length === 1, 'both deliveries');
      const [first, second] = [got[0]?.[0], got[1]?.[0]];
      expect(first).toEqual(Buffer.from([0, 1, 2, 255]));
      // Identity, not just equality: events are serialized once per node, not once per subscriber.
      expect(second).toBe(first);
    });

    it('stops delivering to an unsubscribed handler while the other keeps receiving', async () => {
      const kept: string[] = [];
      const dropped: string[] = [];
      await bus.subscribe(channel, (payload) => kept.push(payload.toString()));
      const subscription = await bus.subscribe(channel, (payload) => dropped.push(payload.toString()));
      await bus.publish(channel, 'a');
      await eventually(() => kept.length === 1 && dropped.length === 1, 'first deliveries');
      await subscription.unsubscribe();
      await bus.publish(channel, 'b');
      await eventually(() => kept.length === 2, 'delivery to the remaining handler');
      await settle();
      expect(kept).toEqual(['a', 'b']);
      expect(dropped).toEqual(['a']);
    });

    it('delivers again after the last handler left and a new one came', async () => {
      const first = await bus.subscribe(channel, () => {});
      await first.unsubscribe();
      const got: string[] = [];
      await bus.subscribe(channel, (payload) => got.push(payload.toString()));
      await bus.publish(channel, 'again');
      await eventually(() => got.length === 1, 'delivery after re-subscribe');
    });

    it('keeps channels isolated', async () => {
      const other = `${channel}-other`;
      const got: string[] = [];
      const gotOther: string[] = [];
      await bus.subscribe(channel, (payload) => got.push(payload.toString()));
      await bus.subscribe(other, (payload) => gotOther.push(payload.toString()));
      await bus.publish(other, 'for other');
      await bus.publish(channel, 'for channel');
      await eventually(() => got.length === 1 && gotOther.length === 1, 'one delivery each');
      await settle();
      expect(got).toEqual(['for channel']);
      expect(gotOther).toEqual(['for other']);
    });

    it('delivers string and Buffer payloads as Buffers with the same bytes', async () => {
      const got: Buffer[] = [];
      await bus.subscribe(channel, (payload) => got.push(payload));
      await bus.publish(channel, 'héllo ✓');
      await bus.publish(channel, Buffer.from('héllo ✓'));
      await eventually(() => got.length === 2, 'two deliveries');
      for (const payload of got) {
        expect(Buffer.isBuffer(payload)).toBe(true);
        expect(payload.toString('utf8')).toBe('héllo ✓');
      }
    });

    it('keeps delivering to the others when a handler throws', async () => {
      const got: string[] = [];
      await bus.subscribe(channel, () => {
        throw new Error('handler failure (expected by the test)');
      });
      await bus.subscribe(channel, (payload) => got.push(payload.toString()));
      const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
      try {
        await bus.publish(channel, 'x');
        await eventually(() => got.length === 1, 'delivery past a throwing handler');
      } finally {
        quiet.mockRestore();
      }
    });
  });
}
