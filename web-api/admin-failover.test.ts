/**
 * /admin/failover (docs/api.md, "Site administration"): site admins only, 404 for everyone else;
 * without ZOOKEEPER_CONNECT a plain "not configured"; with real ZooKeeper, a Redis group and a
 * failover manager, the managers' state and timeline, and the promote request the CLI writes.
 */
import type { FailoverTimelineEntry } from '../core/discovery/failover-state';
import { readFailoverState } from '../failover-manager/failover-znodes';
import { type Scenario, waitFor } from '../failover-manager/testing/harness';
import { type FailoverStack, seedSiteAdmin, startFailoverStack } from '../test/support/failover-stack';
import { api, type SeededUser, startTestStack, type TestStack } from '../test/support/stack';

describe('without failover managers (no ZOOKEEPER_CONNECT)', () => {
  let s: TestStack;
  let sre: SeededUser;
  beforeAll(async () => {
    s = await startTestStack();
    sre = await seedSiteAdmin(s);
  }, 60_000);
  afterAll(() => s?.stop());

  it('tells a site admin plainly that no failover managers are configured, under /v1 too; promote is refused with the same reason', async () => {
    for (const path of ['/admin/failover', '/v1/admin/failover']) {
      const r = await api(s, 'GET', path, { auth: sre.auth });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ configured: false, message: expect.stringContaining('No failover managers are configured: this server has no ZOOKEEPER_CONNECT') });
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    const promote = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: { target: '127.0.0.1:6380' } });
    expect(promote.status).toBe(409);
    expect(promote.body.message).toMatch(/^No failover managers are configured/);
  });

  it('answers everyone else exactly as a path that does not exist (404, never 403), whatever they send', async () => {
    for (const user of [s.alice, s.bob]) {
      const get = await api(s, 'GET', '/admin/failover', { auth: user.auth });
      expect([get.status, get.body]).toEqual([404, { message: 'No route for GET /admin/failover', code: 'NOT_FOUND' }]);
      const post = await api(s, 'POST', '/admin/failover/promote', { auth: user.auth, body: { target: 'x' } });
      expect([post.status, post.body]).toEqual([404, { message: 'No route for POST /admin/failover/promote', code: 'NOT_FOUND' }]);
    }
    // Once the flag is gone, so is the page.
    await s.directory.setSiteAdmin(sre.id, false);
    expect((await api(s, 'GET', '/admin/failover', { auth: sre.auth })).status).toBe(404);
    await s.directory.setSiteAdmin(sre.id, true);
    expect((await api(s, 'GET', '/admin/failover')).status).toBe(401);
  });
});

describe('with failover managers (real ZooKeeper, a Redis group of 3, one manager)', () => {
  let f: FailoverStack;
  let sc: Scenario;
  let s: TestStack;
  let sre: SeededUser;
  beforeAll(async () => {
    f = await startFailoverStack(1);
    ({ scenario: sc, stack: s, sre } = f);
  }, 90_000);
  afterAll(() => f?.stop());

  const overview = async () => {
    const r = await api(s, 'GET', '/admin/failover', { auth: sre.auth });
    expect(r.status).toBe(200);
    return r.body;
  };

  it('shows the managers\' state (nodes, roles, offsets, lag, epoch, leader) and the timeline', async () => {
    const body = await waitFor('every node up and m1 named leader', async () => {
      const b = await overview();
      return b.status.leader === 'm1' && b.status.nodes.every((n: { up: boolean }) => n.up) ? b : null;
    });
    expect(body).toMatchObject({ configured: true, zookeeper: sc.zk.connectString, readAt: expect.any(String) });
    expect(body.status).toMatchObject({ master: sc.master, epoch: 1, leader: 'm1', leaderDown: null });
    expect(body.status.nodes.map((n: { address: string }) => n.address)).toEqual([...sc.redis.addresses].sort());
    for (const n of body.status.nodes) {
      expect(n).toMatchObject({ role: n.address === sc.master ? 'master' : 'replica', up: true, seenUpBy: '1 of 1' });
      expect(n.offset).toBeGreaterThanOrEqual(0);
      expect(n.lag).toEqual(n.address === sc.master ? null : expect.any(Number));
    }
    expect(body.status.managers).toEqual([expect.objectContaining({ managerId: 'm1', up: true, holdsLead: true })]);
    expect(body.timeline.filter((e: FailoverTimelineEntry) => e.kind === 'leader-change')).toEqual([expect.objectContaining({ leader: 'm1', previous: null })]);
  });

  it('refuses a node the managers do not know (400, naming the known ones); the master itself is no request', async () => {
    const unknown = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: { target: '10.9.9.9:6379' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(`unknown node 10.9.9.9:6379; known: ${[...sc.redis.addresses].sort().join(', ')}`);
    const blank = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: {} });
    expect([blank.status, Object.keys(blank.body.errors)]).toEqual([400, ['target']]);
    const master = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: { target: sc.master } });
    expect([master.status, master.body]).toEqual([200, { target: sc.master, requested: false, message: `${sc.master} is already the master (epoch 1)` }]);
    expect((await readFailoverState(sc.zkSession)).request).toBeNull();
  });

  it('promotes a replica on request: 202, then the state shows the new master and the timeline a manual change with its times', async () => {
    const target = sc.replicas[0]!;
    const r = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: { target } });
    expect([r.status, r.body]).toEqual([202, { target, requested: true, message: `asked the managers to switch over to ${target}` }]);
    const body = await waitFor(`${target} shown as master`, async () => {
      const b = await overview();
      return b.status.master === target && b.status.nodes.find((n: { address: string }) => n.address === target)?.role === 'master' ? b : null;
    });
    expect(body.status.epoch).toBe(2);
    const change = body.timeline.find((e: FailoverTimelineEntry) => e.kind === 'master-change' && e.newMaster === target);
    expect(change).toMatchObject({ epoch: 2, oldMaster: sc.master, manual: true, managerId: 'm1', promotionMs: expect.any(Number) });
    console.log(`switch-over via the API: detection ${change.detectionMs} ms, promotion ${change.promotionMs} ms, outage ${change.outageMs} ms`);
    // The stack follows the new master: a post is still accepted.
    expect((await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'after the switch-over' } })).status).toBe(201);
  });

  it('writes the promote request exactly as `tributary failover promote` does (seen with no manager to act on it)', async () => {
    await sc.managers[0]!.stop();
    const target = sc.master; // a replica again since the switch-over
    const before = Date.now();
    const r = await api(s, 'POST', '/admin/failover/promote', { auth: sre.auth, body: { target } });
    expect(r.status).toBe(202);
    const request = (await readFailoverState(sc.zkSession)).request?.value;
    expect(request).toEqual({ target, requestedAt: expect.any(String) });
    expect(Date.parse(request!.requestedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('says when ZooKeeper cannot be read: 503 naming it', async () => {
    await sc.zk.stop();
    const r = await api(s, 'GET', '/admin/failover', { auth: sre.auth });
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(new RegExp(`^ZooKeeper unreachable at ${sc.zk.connectString.replace(/\./g, '\\.')} \\(`));
  });
});
