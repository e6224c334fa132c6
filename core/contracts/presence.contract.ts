/** The Presence contract suite: every Presence implementation runs it (in-process and Redis). */
import { randomBytes } from 'node:crypto';
import type { Presence } from '../ports/presence';

/** TTL the suite builds presences with; long enough that timing never matters. */
export const PRESENCE_CONTRACT_TTL_MS = 60_000;

/**
 * Defines the Presence contract tests. `make(ttlMs)` returns a fresh presence whose clock is the
 * real one; flow ids are random per test.
 */
export function presenceContract(name: string, make: (ttlMs: number) => Promise<Presence>): void {
  describe(`${name} (Presence contract)`, () => {
    let presence: Presence;
    let flow: string;

    beforeEach(async () => {
      presence = await make(PRESENCE_CONTRACT_TTL_MS);
      flow = `f-${randomBytes(4).toString('hex')}`;
    });
    afterEach(async () => {
      await presence.close();
    });

    it('reports each user last activity in the flow, the latest touch winning', async () => {
      const now = Date.now();
      await presence.touch(flow, 1, now - 2000);
      await presence.touch(flow, 2, now - 1000);
      await presence.touch(flow, 1, now);
      expect(await presence.lastActivity(flow)).toEqual(new Map([[1, now], [2, now - 1000]]));
    });

    it('leaves out users not seen within the TTL, for good', async () => {
      const now = Date.now();
      await presence.touch(flow, 1, now - PRESENCE_CONTRACT_TTL_MS - 1000);
      await presence.touch(flow, 2, now);
      expect(await presence.lastActivity(flow)).toEqual(new Map([[2, now]]));
      expect(await presence.lastActivity(flow)).toEqual(new Map([[2, now]]));
    });

    it('forgets one user in one flow at once, and nobody else', async () => {
      const now = Date.now();
      await presence.touch(flow, 1, now);
      await presence.touch(flow, 2, now);
      await presence.touch(`${flow}-other`, 1, now);
      await presence.forget(flow, 1);
      await presence.forget(`${flow}-unknown`, 1);
      expect(await presence.lastActivity(flow)).toEqual(new Map([[2, now]]));
      expect(await presence.lastActivity(`${flow}-other`)).toEqual(new Map([[1, now]]));
    });

    it('keeps flows apart and reports an unknown flow as empty', async () => {
      await presence.touch(flow, 1, Date.now());
      expect((await presence.lastActivity(`${flow}-other`)).size).toBe(0);
    });
  });
}
