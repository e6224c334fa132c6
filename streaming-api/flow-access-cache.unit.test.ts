/** Unit tests of the subscription-time caches (ADR 023): fresh shared reads, and allows that a revocation drops at once. */
import { InProcessDirectory } from '../core/in-process/in-process-directory';
import { FlowAccessCache } from './flow-access-cache';
import { FreshReads } from './fresh-reads';
import { RevocationLog } from './revocation-log';

async function setup() {
  const directory = new InProcessDirectory();
  const org = await directory.createOrganization('Acme');
  const user = await directory.createUser({ email: 'a@example.test', password: 'password-a-1', nick: 'a' });
  await directory.addOrganizationMember(org.id, user.id, false);
  const flow = await directory.createFlow(org.id, 'Main');
  await directory.addFlowMember(flow.id, user.id);
  const revocations = new RevocationLog();
  const asked = jest.spyOn(directory, 'flowAccess');
  return { directory, flow, user, revocations, asked, cache: new FlowAccessCache(directory, revocations) };
}

describe('FlowAccessCache', () => {
  test('answers a repeated allow from memory, and asks again once the user had a revocation', async () => {
    const { flow, user, revocations, asked, cache } = await setup();
    expect((await cache.readable(user.id, [flow.id]))[0]?.flow.id).toBe(flow.id);
    expect((await cache.readable(user.id, [flow.id]))[0]?.flow.id).toBe(flow.id);
    expect(asked).toHaveBeenCalledTimes(1);
    revocations.record(user.id, [flow.id]);
    cache.forgetUser(user.id);
    await cache.readable(user.id, [flow.id]);
    expect(asked).toHaveBeenCalledTimes(2);
  });

  test('does not keep refusals: a user added later is let in at once', async () => {
    const { directory, flow, revocations } = await setup();
    const other = await directory.createUser({ email: 'b@example.test', password: 'password-b-1', nick: 'b' });
    const cache = new FlowAccessCache(directory, revocations);
    expect(await cache.readable(other.id, [flow.id])).toEqual([null]);
    await directory.addOrganizationMember(flow.organizationId, other.id, false);
    await directory.addFlowMember(flow.id, other.id);
    expect((await cache.readable(other.id, [flow.id]))[0]?.flow.id).toBe(flow.id);
  });

  test('an allow read while a revocation of that flow was applied is used once but not kept', async () => {
    const { directory, flow, user, revocations, asked, cache } = await setup();
    asked.mockImplementationOnce(async (...args) => {
      const answer = await InProcessDirectory.prototype.flowAccess.apply(directory, args);
      // Applied on this node while the query was out: the answer may predate it.
      revocations.record(user.id, [flow.id]);
      cache.forgetUser(user.id);
      return answer;
    });
    await cache.readable(user.id, [flow.id]);
    await cache.readable(user.id, [flow.id]);
    expect(asked).toHaveBeenCalledTimes(2);
  });
});

describe('FreshReads', () => {
  test('reads asked while one runs share the next one, which starts after they asked', async () => {
    const started: number[] = [];
    const releases: (() => void)[] = [];
    let asked = 0;
    const reads = new FreshReads(async (key) => {
      started.push(asked);
      await new Promise<void>((r) => releases.push(r));
      return `${key}@${started.length}`;
    });
    asked++;
    const first = reads.read('f');
    asked++;
    const second = reads.read('f');
    asked++;
    const third = reads.read('f');
    expect(started).toEqual([1]);
    releases.shift()!();
    expect(await first).toBe('f@1');
    await new Promise((r) => setImmediate(r));
    // The second query began only after all three were asked.
    expect(started).toEqual([1, 3]);
    releases.shift()!();
    expect(await second).toBe('f@2');
    expect(await third).toBe('f@2');
    expect(await Promise.all([reads.read('g'), Promise.resolve(releases.shift()?.())])).toEqual(['g@3', undefined]);
  });
});
