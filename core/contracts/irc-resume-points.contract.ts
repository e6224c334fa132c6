/** The IrcResumePoints contract suite: every implementation runs it (in-process and Redis). */
import { randomInt } from 'node:crypto';
import type { IrcResumePoints, IrcResumePointsOptions } from '../ports/irc-resume-points';

/** `make(options)` returns fresh resume points; users are random per test, as the Redis is shared. */
export function ircResumePointsContract(name: string, make: (options: IrcResumePointsOptions) => Promise<IrcResumePoints>): void {
  describe(`${name} (IrcResumePoints contract)`, () => {
    const opened: IrcResumePoints[] = [];
    const open = async (options: IrcResumePointsOptions = {}): Promise<IrcResumePoints> => {
      const points = await make(options);
      opened.push(points);
      return points;
    };
    const user = (): number => randomInt(1, 2 ** 47);
    afterEach(async () => {
      for (const p of opened.splice(0)) await p.close();
    });

    it('has nothing for a user never saved', async () => {
      expect(await (await open()).of(user(), 'irssi')).toEqual({});
    });

    it('merges saves: a conversation saved again takes the new position, the others keep theirs', async () => {
      const points = await open();
      const u = user();
      await points.save(u, 'irssi', { f1: 5, f2: 7 });
      await points.save(u, 'irssi', { f2: 9, '1-2': 3 });
      expect(await points.of(u, 'irssi')).toEqual({ f1: 5, f2: 9, '1-2': 3 });
      expect(await points.of(u + 1, 'irssi')).toEqual({});
    });

    it('keeps each client of a user apart (a client name that prefixes another included)', async () => {
      const points = await open();
      const u = user();
      await points.save(u, 'irssi', { f1: 5 });
      await points.save(u, 'irssi2', { f1: 8 });
      await points.save(u, 'phone', { f2: 1 });
      expect(await points.of(u, 'irssi')).toEqual({ f1: 5 });
      expect(await points.of(u, 'irssi2')).toEqual({ f1: 8 });
      expect(await points.of(u, 'phone')).toEqual({ f2: 1 });
    });

    it('is shared: what one instance saved, another reads (another streaming node)', async () => {
      const [a, b] = [await open(), await open()];
      const u = user();
      await a.save(u, 'irssi', { f1: 42 });
      expect(await b.of(u, 'irssi')).toEqual({ f1: 42 });
    });

    it('keeps at most maxConversations positions per user, over all clients: a save past it keeps only what it saved', async () => {
      const points = await open({ maxConversations: 3 });
      const u = user();
      await points.save(u, 'irssi', { a: 1, b: 2 });
      await points.save(u, 'phone', { c: 3 });
      expect(await points.of(u, 'irssi')).toEqual({ a: 1, b: 2 });
      await points.save(u, 'weechat', { d: 4 });
      expect(await points.of(u, 'weechat')).toEqual({ d: 4 });
      expect(await points.of(u, 'irssi')).toEqual({});
      expect(await points.of(u, 'phone')).toEqual({});
    });

    it('forgets a user once the ttl has passed since the last save', async () => {
      const points = await open({ ttlMs: 50 });
      const u = user();
      await points.save(u, 'irssi', { f1: 1 });
      expect(await points.of(u, 'irssi')).toEqual({ f1: 1 });
      await waitUntil(async () => Object.keys(await points.of(u, 'irssi')).length === 0);
    });
  });
}

/** Waits on a condition (the expiry), never for a fixed time. */
async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  for (const until = Date.now() + 5000; !(await done()); ) {
    if (Date.now() > until) throw new Error('timed out waiting for the positions to expire');
    await new Promise((r) => setTimeout(r, 20));
  }
}
