/** Directory contract, read markers: per user and conversation, only ever forward, and nobody else's. */
import { flowConversation, privateConversation } from '../domain/types';
import type { DirectoryContext } from './directory.contract';
import { appError, organization, user } from './directory.fixtures';

export function readMarkerStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('keeps a marker per user and conversation, and none where nothing was marked', async () => {
    const [alice, bob] = [await user(d(), 'reader'), await user(d(), 'other_reader')];
    const [main, ops, dm] = [flowConversation(`main-${alice.id}`), flowConversation(`ops-${alice.id}`), privateConversation(alice.id, bob.id)];
    expect(await d().readMarkers.markRead(alice.id, main, 7)).toBe(7);
    expect(await d().readMarkers.markRead(alice.id, dm, 3)).toBe(3);
    expect(await d().readMarkers.markRead(bob.id, main, 2)).toBe(2);
    expect(await d().readMarkers.readMarkers(alice.id, [main, ops, dm])).toEqual(new Map([[main, 7], [dm, 3]]));
    expect(await d().readMarkers.readMarkers(bob.id, [main, ops, dm])).toEqual(new Map([[main, 2]]));
    expect(await d().readMarkers.readMarkers(alice.id, [])).toEqual(new Map());
  });

  it('only moves forward: an older id (another device, a stale tab) leaves the marker where it is', async () => {
    const u = await user(d(), 'forward');
    const c = flowConversation(`flow-${u.id}`);
    expect(await d().readMarkers.markRead(u.id, c, 40)).toBe(40);
    expect(await d().readMarkers.markRead(u.id, c, 12)).toBe(40);
    expect(await d().readMarkers.markRead(u.id, c, 41)).toBe(41);
    // Two devices at once end at the furthest.
    await Promise.all([d().readMarkers.markRead(u.id, c, 60), d().readMarkers.markRead(u.id, c, 55)]);
    expect((await d().readMarkers.readMarkers(u.id, [c])).get(c)).toBe(60);
  });

  it('refuses an id that is not a positive whole number (VALIDATION_FAILED naming message_id) and an unknown user (NOT_FOUND)', async () => {
    const u = await user(d(), 'bad_marker', [await organization(d())]);
    for (const bad of [0, -1, 1.5, Number.NaN]) await expect(d().readMarkers.markRead(u.id, 'f', bad)).rejects.toMatchObject(appError('VALIDATION_FAILED', 'message_id'));
    await expect(d().readMarkers.markRead(2 ** 30, 'f', 1)).rejects.toMatchObject(appError('NOT_FOUND'));
  });
}
