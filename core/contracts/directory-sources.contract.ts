/** Directory contract, sources: created for a flow, found by token hash (deleted too), listed per flow, updated, soft-deleted. */
import { hashFlowToken, newFlowToken } from '../auth/flow-tokens';
import type { DirectoryContext } from './directory.contract';
import { appError, flow, organization, user } from './directory.fixtures';

export function sourceStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();
  /** A flow with one member who creates sources in it. */
  async function world() {
    const org = await organization(d());
    const creator = await user(d(), 'creator', [org]);
    const target = await flow(d(), org, 'Flow', 'invitation', [creator]);
    return { org, creator, target };
  }

  it('creates a live source with no error, no configuration URL and no built-in type, and finds it by its token hash', async () => {
    const { creator, target } = await world();
    const hash = hashFlowToken(newFlowToken());
    const created = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'CI', externalUrl: 'https://ci.example.test/' }, hash);
    expect(created).toMatchObject({
      flowId: target.id, creatorId: creator.id, name: 'CI', externalUrl: 'https://ci.example.test/',
      errorMessage: null, configurationUrl: null, type: null, config: null, deletedAt: null,
    });
    expect(created.id).toBeGreaterThan(0);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await d().sources.sourceByTokenHash(hash)).toEqual({ source: created, tokenHash: hash });
    expect(await d().sources.sourceByTokenHash(hashFlowToken(newFlowToken()))).toBeNull();
    expect(await d().sources.sourceOfFlow(target.id, created.id)).toEqual(created);
  });

  it('refuses a source for a flow or a creator that does not exist', async () => {
    const { creator, target } = await world();
    await expect(d().sources.createSource({ flowId: 'no-such-flow', creatorId: creator.id, name: 'x', externalUrl: null }, hashFlowToken(newFlowToken()))).rejects.toMatchObject(appError('NOT_FOUND'));
    await expect(d().sources.createSource({ flowId: target.id, creatorId: 987_654_321, name: 'x', externalUrl: null }, hashFlowToken(newFlowToken()))).rejects.toMatchObject(appError('NOT_FOUND'));
  });

  it('lists the live sources of the flows asked for, by id, and shows one only through its own flow', async () => {
    const a = await world();
    const b = await world();
    const make = (w: typeof a, name: string) => d().sources.createSource({ flowId: w.target.id, creatorId: w.creator.id, name, externalUrl: null }, hashFlowToken(newFlowToken()));
    const a1 = await make(a, 'one');
    const b1 = await make(b, 'other');
    const a2 = await make(a, 'two');
    expect((await d().sources.sourcesOfFlows([a.target.id])).map((s) => s.name)).toEqual(['one', 'two']);
    expect((await d().sources.sourcesOfFlows([b.target.id, a.target.id])).map((s) => s.id)).toEqual([a1.id, b1.id, a2.id]);
    expect(await d().sources.sourcesOfFlows([])).toEqual([]);
    expect(await d().sources.sourceOfFlow(b.target.id, a1.id)).toBeNull();
  });

  it('updates the error message and configuration URL independently; null or "" clears', async () => {
    const { creator, target } = await world();
    const s = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'CI', externalUrl: null }, hashFlowToken(newFlowToken()));
    const failing = await d().sources.updateSource(s.id, { errorMessage: 'build server unreachable' });
    expect(failing).toMatchObject({ errorMessage: 'build server unreachable', configurationUrl: null });
    expect(failing.updatedAt.getTime()).toBeGreaterThanOrEqual(s.updatedAt.getTime());
    expect(await d().sources.updateSource(s.id, { configurationUrl: 'https://ci.example.test/settings' })).toMatchObject({
      errorMessage: 'build server unreachable', configurationUrl: 'https://ci.example.test/settings',
    });
    expect(await d().sources.updateSource(s.id, { errorMessage: null })).toMatchObject({ errorMessage: null, configurationUrl: 'https://ci.example.test/settings' });
    await expect(d().sources.updateSource(987_654_321, { errorMessage: 'x' })).rejects.toMatchObject(appError('NOT_FOUND'));
  });

  it('deletes once: the source leaves every list and cannot change, but its token hash still finds it, marked deleted', async () => {
    const { creator, target } = await world();
    const hash = hashFlowToken(newFlowToken());
    const s = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'CI', externalUrl: null }, hash);
    expect(await d().sources.deleteSource(s.id)).toBe(true);
    expect(await d().sources.deleteSource(s.id)).toBe(false);
    expect(await d().sources.deleteSource(987_654_321)).toBe(false);
    expect(await d().sources.sourcesOfFlows([target.id])).toEqual([]);
    expect(await d().sources.sourceOfFlow(target.id, s.id)).toBeNull();
    await expect(d().sources.updateSource(s.id, { errorMessage: 'x' })).rejects.toMatchObject(appError('NOT_FOUND'));
    const found = await d().sources.sourceByTokenHash(hash);
    expect(found?.source.id).toBe(s.id);
    expect(found?.source.deletedAt).toBeInstanceOf(Date);
  });

  it('keeps a built-in source\'s type and config, lists live built-in sources only, and has no status before its first run', async () => {
    const { creator, target } = await world();
    const config = { url: 'https://news.example.test/feed.xml', interval_s: 300 };
    const rss = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'News', externalUrl: null, type: 'rss', config }, hashFlowToken(newFlowToken()));
    const push = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'CI', externalUrl: null }, hashFlowToken(newFlowToken()));
    const gone = await d().sources.createSource({ flowId: target.id, creatorId: creator.id, name: 'Old', externalUrl: null, type: 'rss', config }, hashFlowToken(newFlowToken()));
    await d().sources.deleteSource(gone.id);
    expect(rss).toMatchObject({ type: 'rss', config });
    expect(push).toMatchObject({ type: null, config: null });
    const builtIn = (await d().sources.builtInSources()).map((s) => s.id);
    expect(builtIn).toContain(rss.id);
    expect(builtIn).not.toContain(push.id);
    expect(builtIn).not.toContain(gone.id);
    expect(await d().sources.runStatus(rss.id)).toBeNull();
  });
}
