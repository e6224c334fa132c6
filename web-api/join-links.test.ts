/**
 * Link-mode join links (docs/adr/030-join-links.md): `GET/POST/DELETE /flows/:org/:flow/join_url` for
 * members, following the secret `/flows/:org/:flow/join/:token` from an API client and a browser,
 * rotation and turning off, who joins the organization and how, and the refusals (blocked, archived).
 */
import WebSocket from 'ws';
import { TestWs } from '../streaming-api/testing/stream-test-harness';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

/** A new flow of the organization made by alice (its first member) in `mode`; its path. */
async function flowIn(name: string, mode: 'link' | 'organization' | 'invitation'): Promise<string> {
  const made = await api(s, 'POST', `/flows/${s.org.name}`, { auth: s.alice.auth, body: { name, access_mode: mode } });
  expect([made.status, made.body.access_mode]).toEqual([201, mode]);
  return new URL(made.body.url).pathname;
}

/** Makes (or replaces) the flow's link as `who`; the link's path. */
async function makeLink(flowPath: string, who: SeededUser = s.alice): Promise<string> {
  const made = await api(s, 'POST', `${flowPath}/join_url`, { auth: who.auth });
  expect(made.status).toBe(201);
  expect(made.body.join_url).toMatch(new RegExp(`^${s.url}${flowPath}/join/[A-Za-z0-9_-]{43}$`));
  return new URL(made.body.join_url).pathname;
}

const joinUrlOf = async (flowPath: string, who: SeededUser) => api(s, 'GET', `${flowPath}/join_url`, { auth: who.auth });
const NO_LINK = 'join link not found: it was turned off or replaced by a newer one, or never existed';

describe('the join_url resource', () => {
  it('is null until a member makes the link, then shown by GET and in the flow JSON to members; DELETE turns it off', async () => {
    const flowPath = await flowIn('Secret Room', 'link');
    expect((await joinUrlOf(flowPath, s.alice)).body).toEqual({ join_url: null });
    expect((await api(s, 'GET', flowPath, { auth: s.alice.auth })).body.join_url).toBeNull();

    const link = await makeLink(flowPath);
    expect(await joinUrlOf(flowPath, s.alice)).toMatchObject({ status: 200, body: { join_url: `${s.url}${link}` } });
    expect((await api(s, 'GET', flowPath, { auth: s.alice.auth })).body.join_url).toBe(`${s.url}${link}`);
    const listed = (await api(s, 'GET', '/flows', { auth: s.alice.auth })).body.find((f: { url: string }) => f.url === `${s.url}${flowPath}`);
    expect(listed.join_url).toBe(`${s.url}${link}`);

    const off = await api(s, 'DELETE', `${flowPath}/join_url`, { auth: s.alice.auth });
    expect([off.status, off.body]).toEqual([204, null]);
    expect((await joinUrlOf(flowPath, s.alice)).body).toEqual({ join_url: null });
    expect((await api(s, 'GET', flowPath, { auth: s.alice.auth })).body.join_url).toBeNull();
    const dead = await api(s, 'POST', link, { auth: s.carol.auth });
    expect([dead.status, dead.body.message]).toEqual([404, NO_LINK]);
  });

  it('is 404 to everyone who is not a member of the flow: people of the organization, outsiders, blocked members', async () => {
    const flowPath = await flowIn('Members Only', 'link');
    await makeLink(flowPath);
    const outsider = await seedUser(s.directory, 'nosy');
    expect((await api(s, 'POST', `${flowPath}/users`, { auth: s.alice.auth, body: { id: s.bob.id } })).status).toBe(200);
    expect((await api(s, 'PUT', `${flowPath}/users/${s.bob.id}`, { auth: s.alice.auth, body: { disabled: true } })).status).toBe(200);
    for (const who of [s.carol, outsider, s.bob]) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const r = await api(s, method, `${flowPath}/join_url`, { auth: who.auth });
        expect([who.nick, method, r.status, r.body.message]).toEqual([who.nick, method, 404, 'flow not found']);
      }
    }
    // Still the same link: none of those requests changed it.
    expect((await joinUrlOf(flowPath, s.alice)).body.join_url).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/);
  });

  it('lets any member of the flow make it (not only admins), and a new link stops the old one at once', async () => {
    const flowPath = await flowIn('Rotating', 'link');
    expect((await api(s, 'POST', `${flowPath}/users`, { auth: s.alice.auth, body: { id: s.bob.id } })).status).toBe(200);
    const first = await makeLink(flowPath, s.bob);
    const second = await makeLink(flowPath, s.alice);
    expect(second).not.toBe(first);
    const old = await api(s, 'POST', first, { auth: s.carol.auth });
    expect([old.status, old.body.message]).toEqual([404, NO_LINK]);
    expect((await api(s, 'GET', first, { auth: s.carol.auth })).status).toBe(404);
    expect((await api(s, 'POST', second, { auth: s.carol.auth })).body.joined).toBe(true);
  });

  it('answers 409 naming the access mode when a link is asked of an invitation- or organization-mode flow, whose join_url stays as its mode gives it', async () => {
    const invited = await flowIn('By Invitation', 'invitation');
    const made = await api(s, 'POST', `${invited}/join_url`, { auth: s.alice.auth });
    expect([made.status, made.body.message]).toEqual([409, "join links are for link-mode flows, and this flow's access_mode is invitation: set access_mode to link first"]);
    expect((await joinUrlOf(invited, s.alice)).body).toEqual({ join_url: null });
    expect((await api(s, 'DELETE', `${invited}/join_url`, { auth: s.alice.auth })).status).toBe(204);

    const open = await flowIn('Open Plan', 'organization');
    expect((await joinUrlOf(open, s.alice)).body).toEqual({ join_url: `${s.url}${open}/join` });
    expect((await api(s, 'POST', `${open}/join_url`, { auth: s.alice.auth })).status).toBe(409);
    const off = await api(s, 'DELETE', `${open}/join_url`, { auth: s.alice.auth });
    expect([off.status, off.body.message]).toEqual([409, "an organization-mode flow's join_url is turned off by changing its access_mode"]);
  });

  it('is turned off by leaving link mode; switching back makes no link until a member POSTs', async () => {
    const flowPath = await flowIn('Mode Changes', 'link');
    const link = await makeLink(flowPath);
    const changed = await api(s, 'PUT', flowPath, { auth: s.alice.auth, body: { access_mode: 'invitation' } });
    expect([changed.status, changed.body.join_url]).toEqual([200, null]);
    expect((await api(s, 'PUT', flowPath, { auth: s.alice.auth, body: { access_mode: 'link' } })).body.join_url).toBeNull();
    expect((await joinUrlOf(flowPath, s.alice)).body).toEqual({ join_url: null });
    expect((await api(s, 'POST', link, { auth: s.carol.auth })).status).toBe(404);
    const again = await makeLink(flowPath);
    expect(again).not.toBe(link);
  });
});

describe('following a link', () => {
  it('brings someone from outside into the organization as a non-admin member and into the flow', async () => {
    const flowPath = await flowIn('Guests Welcome', 'link');
    const link = await makeLink(flowPath);
    const guest = await seedUser(s.directory, 'guest');
    const before = await api(s, 'GET', link, { auth: guest.auth });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ joined: false, flow: { url: `${s.url}${flowPath}`, join_url: null } });
    // Nothing is shown of the flow to them yet but what the link names.
    expect((await api(s, 'GET', flowPath, { auth: guest.auth })).status).toBe(404);

    const joined = await api(s, 'POST', link, { auth: guest.auth });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ joined: true, url: `${s.url}${flowPath}`, join_url: `${s.url}${link}` });
    const members = await api(s, 'GET', `/organizations/${s.org.name}/users`, { auth: s.alice.auth });
    expect(members.body.find((u: { id: number }) => u.id === guest.id)).toMatchObject({ nick: 'guest', admin: false });
    expect((await api(s, 'GET', '/flows', { auth: guest.auth })).body.map((f: { url: string }) => f.url)).toContain(`${s.url}${flowPath}`);
    // Following it again changes nothing.
    expect((await api(s, 'POST', link, { auth: guest.auth })).body.joined).toBe(true);
    expect((await api(s, 'GET', link, { auth: guest.auth })).body.joined).toBe(true);
  });

  it('never changes the role of someone already in the organization: an admin stays admin', async () => {
    const flowPath = await flowIn('Admins Too', 'link');
    const link = await makeLink(flowPath);
    const boss = await seedUser(s.directory, 'boss');
    await s.directory.addOrganizationMember(s.org.id, boss.id, true);
    expect((await api(s, 'POST', link, { auth: boss.auth })).body.joined).toBe(true);
    const members = await api(s, 'GET', `/organizations/${s.org.name}/users`, { auth: s.alice.auth });
    expect(members.body.find((u: { id: number }) => u.id === boss.id).admin).toBe(true);
  });

  it('answers 404 for a wrong token, another flow\'s token and a flow that does not exist, alike', async () => {
    const flowPath = await flowIn('Guarded', 'link');
    const link = await makeLink(flowPath);
    const otherLink = await makeLink(await flowIn('Elsewhere', 'link'));
    const token = link.split('/').pop()!;
    const attempts = [
      `${flowPath}/join/${'A'.repeat(43)}`,
      `${flowPath}/join/short`,
      `${flowPath}/join/${otherLink.split('/').pop()}`,
      `/flows/${s.org.name}/no-such-flow/join/${token}`,
    ];
    for (const path of attempts) {
      const r = await api(s, 'POST', path, { auth: s.carol.auth });
      expect([path, r.status, r.body.message]).toEqual([path, 404, NO_LINK]);
    }
    expect((await api(s, 'GET', flowPath, { auth: s.carol.auth })).status).toBe(404);
  });

  it('refuses a blocked member with 403, and asks for credentials (401) without any', async () => {
    const flowPath = await flowIn('Blocking', 'link');
    const link = await makeLink(flowPath);
    expect((await api(s, 'POST', `${flowPath}/users`, { auth: s.alice.auth, body: { id: s.bob.id } })).status).toBe(200);
    expect((await api(s, 'PUT', `${flowPath}/users/${s.bob.id}`, { auth: s.alice.auth, body: { disabled: true } })).status).toBe(200);
    for (const method of ['GET', 'POST']) {
      const r = await api(s, method, link, { auth: s.bob.auth });
      expect([method, r.status, r.body.message]).toEqual([method, 403, 'you were blocked from this flow']);
    }
    expect((await api(s, 'GET', flowPath, { auth: s.bob.auth })).status).toBe(404);
    expect((await api(s, 'POST', link)).status).toBe(401);
  });

  it('lets a signed-in browser join with the page\'s button (CSRF token in the form) and leads on to the app', async () => {
    const flowPath = await flowIn('Browser Join', 'link');
    const link = `${s.url}${await makeLink(flowPath)}`;
    const appPage = `${s.url}/app${flowPath.slice('/flows'.length)}`;
    const anonymous = await fetch(link, { headers: { accept: 'text/html' } });
    expect(await anonymous.text()).toContain(`<a href="${link}">Continue to join</a>`);

    const visitor = await seedUser(s.directory, 'visitor');
    const login = await api(s, 'POST', '/session', { body: { email: visitor.email, password: visitor.password }, headers: { origin: s.url } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(link, { headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(csrf).toBe(login.body.csrf_token);
    const form = { cookie, origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
    expect((await fetch(link, { method: 'POST', redirect: 'manual', headers: form, body: '' })).status).toBe(403);
    const joined = await fetch(link, { method: 'POST', redirect: 'manual', headers: form, body: `csrf_token=${encodeURIComponent(csrf!)}` });
    expect([joined.status, joined.headers.get('location')]).toEqual([303, appPage]);
    const again = await fetch(link, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
    expect([again.status, again.headers.get('location')]).toEqual([303, appPage]);
  });

  it('is seen live: a member\'s WebSocket on the flow gets backend.user.join, the newcomer\'s own stream flow-add', async () => {
    const flowPath = await flowIn('Live Join', 'link');
    const link = await makeLink(flowPath);
    const flowId = (await api(s, 'GET', flowPath, { auth: s.alice.auth })).body.id;
    const newcomer = await seedUser(s.directory, 'newcomer');
    const watcher = new TestWs(new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws?access_token=${s.alice.token}`));
    const own = new TestWs(new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws?access_token=${newcomer.token}`));
    try {
      await Promise.all([watcher.next((f) => f.type === 'hello', 'hello'), own.next((f) => f.type === 'hello', 'hello')]);
      watcher.send({ type: 'subscribe', ref: 1, flows: [{ flow: flowId }] });
      own.send({ type: 'subscribe', ref: 1, flows: [], user: true });
      await Promise.all([watcher.next((f) => f.type === 'subscribed' && f.flow === flowId, 'subscribed'), own.next((f) => f.type === 'subscribed' && f.user === true, 'user subscribed')]);

      expect((await api(s, 'POST', link, { auth: newcomer.auth })).body.joined).toBe(true);
      const join = await watcher.next((f) => f.event === 'backend.user.join', 'backend.user.join');
      expect(join).toMatchObject({ flow: flowId, content: { user: expect.objectContaining({ id: newcomer.id, nick: 'newcomer' }) } });
      const added = await own.next((f) => f.event === 'flow-add', 'flow-add');
      expect(added).toMatchObject({ user: String(newcomer.id), content: expect.objectContaining({ id: flowId }) });
    } finally {
      watcher.ws.close();
      own.ws.close();
    }
  });
});

describe('an archived flow takes nobody new, whatever the way in', () => {
  let guest: SeededUser;
  beforeAll(async () => {
    guest = await seedUser(s.directory, 'latecomer');
  });
  const archive = async (flowPath: string) => expect((await api(s, 'PUT', flowPath, { auth: s.alice.auth, body: { disabled: true } })).status).toBe(200);
  const ARCHIVED = 'the flow is archived: nobody can join it';

  it('refuses its join link (the page too), with 403 naming the archive', async () => {
    const flowPath = await flowIn('Archived Link', 'link');
    const link = await makeLink(flowPath);
    await archive(flowPath);
    for (const method of ['GET', 'POST']) {
      const r = await api(s, method, link, { auth: guest.auth });
      expect([method, r.status, r.body.message]).toEqual([method, 403, ARCHIVED]);
    }
    expect((await api(s, 'GET', '/flows', { auth: guest.auth })).body.map((f: { url: string }) => f.url)).not.toContain(`${s.url}${flowPath}`);
    expect((await api(s, 'GET', `/organizations/${s.org.name}/users`, { auth: s.alice.auth })).body.map((u: { id: number }) => u.id)).not.toContain(guest.id);
  });

  it('refuses an organization-mode flow\'s join_url and PUT open:true, adding a member and inviting', async () => {
    const flowPath = await flowIn('Archived Open', 'organization');
    await archive(flowPath);
    for (const [method, path, body] of [['GET', `${flowPath}/join`], ['POST', `${flowPath}/join`], ['PUT', flowPath, { open: true }]] as const) {
      const r = await api(s, method, path, { auth: s.carol.auth, ...(body ? { body } : {}) });
      expect([method, path, r.status, r.body.message]).toEqual([method, path, 403, ARCHIVED]);
    }
    const added = await api(s, 'POST', `${flowPath}/users`, { auth: s.alice.auth, body: { id: s.bob.id } });
    expect([added.status, added.body.message]).toEqual([403, ARCHIVED]);
    for (const [path, body] of [['invitations/import', { list: s.bob.email }], ['invitations', { email: 'someone@example.test' }]] as const) {
      const invited = await api(s, 'POST', `${flowPath}/${path}`, { auth: s.alice.auth, body });
      expect([path, invited.status, invited.body.message]).toEqual([path, 403, ARCHIVED]);
    }
    expect((await api(s, 'GET', flowPath, { auth: s.carol.auth })).body.joined).toBe(false);
    expect((await api(s, 'GET', flowPath, { auth: s.bob.auth })).body.joined).toBe(false);
  });
});
