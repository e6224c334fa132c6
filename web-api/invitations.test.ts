/**
 * Invitations (spec §2.7) in `start all` with mail out through a local SMTP relay: create, list,
 * show, import, delete; the mailed link lets the invitee set a password and join; members only.
 */
import { api, basic, startTestStack, type TestStack } from '../test/support/stack';
import { type SmtpRelay, startSmtpRelay } from '../test/support/smtp-relay';
import { MAX_IMPORT } from '../core/actions/invitation-inputs';

let stack: TestStack;
let relay: SmtpRelay;

beforeAll(async () => {
  relay = await startSmtpRelay();
  stack = await startTestStack({ env: { SMTP_RELAY_URL: relay.url, MAIL_FROM: 'Tributary <noreply@tributary.test>' } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await relay?.close();
});

const path = () => `/flows/${stack.flow.path}/invitations`;
const linkIn = (text: string): string => {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f]{64})/.exec(text);
  if (!m) throw new Error(`no invitation link in: ${text}`);
  return m[1]!;
};

describe('inviting someone new', () => {
  it('mails a link that lets them set a password, join the flow and log in; the link then answers 404', async () => {
    const created = await api(stack, 'POST', path(), { auth: stack.alice.auth, body: { email: 'Newcomer@Example.test', message: 'Come and see' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'pending', email: 'Newcomer@Example.test', flow: stack.flow.id, message: 'Come and see' });
    expect(created.body.url).toMatch(new RegExp(`${path()}/${created.body.id}$`));

    const mail = await relay.mailTo('newcomer@example.test');
    expect(mail.from).toBe('noreply@tributary.test');
    expect(mail.text).toContain('Come and see');
    const link = linkIn(mail.text);
    const shown = await fetch(link).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(shown).toEqual({ status: 200, body: { email: 'Newcomer@Example.test', flow: { id: stack.flow.id, name: 'Main', organization: 'Acme' }, needs_password: true } });
    const page = await fetch(link, { headers: { accept: 'text/html' } }).then((r) => r.text());
    expect(page).toContain('<input type="password" name="password"');

    const short = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'short' }) });
    expect(short.status).toBe(400);
    expect((await short.json()).errors).toHaveProperty(['password']);
    const joined = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'newcomer-password' }) });
    expect(joined.status).toBe(200);

    const flows = await api(stack, 'GET', '/flows', { auth: basic('newcomer@example.test', 'newcomer-password') });
    expect(flows.status).toBe(200);
    expect(flows.body.map((f: { id: string }) => f.id)).toContain(stack.flow.id);
    expect((await fetch(link)).status).toBe(404);
    expect((await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"another-password"}' })).status).toBe(404);

    // Accepted: no longer listed, still shown.
    const list = await api(stack, 'GET', path(), { auth: stack.alice.auth });
    expect(list.body.map((i: { id: number }) => i.id)).not.toContain(created.body.id);
    expect((await api(stack, 'GET', `${path()}/${created.body.id}`, { auth: stack.alice.auth })).body.state).toBe('accepted');
  });

  it('resends on a second invitation of the same address (same id, a new link; the old one is dead)', async () => {
    const first = await api(stack, 'POST', path(), { auth: stack.alice.auth, body: { email: 'twice@example.test' } });
    const firstLink = linkIn((await relay.mailTo('twice@example.test')).text);
    relay.mails.splice(0);
    const second = await api(stack, 'POST', path(), { auth: stack.bob.auth, body: { email: 'TWICE@example.test' } });
    expect(second.body.id).toBe(first.body.id);
    const secondLink = linkIn((await relay.mailTo('twice@example.test')).text);
    expect(secondLink).not.toBe(firstLink);
    expect((await fetch(firstLink)).status).toBe(404);
    expect((await fetch(secondLink)).status).toBe(200);
  });
});

describe('bad input and who may', () => {
  it('400 for an invalid address, 404 for a non-member and no one signed in is 401', async () => {
    const bad = await api(stack, 'POST', path(), { auth: stack.alice.auth, body: { email: 'not an address' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty(['email']);
    expect((await api(stack, 'POST', path(), { auth: stack.carol.auth, body: { email: 'x@example.test' } })).status).toBe(404);
    expect((await api(stack, 'GET', path(), { auth: stack.carol.auth })).status).toBe(404);
    expect((await api(stack, 'GET', path())).status).toBe(401);
    expect((await fetch(`${stack.url}/join/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('deletes a pending invitation (204, its link dead); a non-member cannot', async () => {
    const made = await api(stack, 'POST', path(), { auth: stack.alice.auth, body: { email: 'withdrawn@example.test' } });
    const link = linkIn((await relay.mailTo('withdrawn@example.test')).text);
    expect((await api(stack, 'DELETE', `${path()}/${made.body.id}`, { auth: stack.carol.auth })).status).toBe(404);
    expect((await api(stack, 'DELETE', `${path()}/${made.body.id}`, { auth: stack.bob.auth })).status).toBe(204);
    expect((await api(stack, 'DELETE', `${path()}/${made.body.id}`, { auth: stack.bob.auth })).status).toBe(404);
    expect((await api(stack, 'GET', `${path()}/${made.body.id}`, { auth: stack.bob.auth })).status).toBe(404);
    expect((await fetch(link)).status).toBe(404);
  });
});

describe('importing a list', () => {
  it('invites each address once, adds people of the organization, and names the entries that are no address', async () => {
    const list = `"Doe, Jane" <jane@example.test>\nbad entry, jane@EXAMPLE.test,  Joe <joe@example.test>\n${stack.carol.email}, ${stack.bob.email}`;
    const res = await api(stack, 'POST', `${path()}/import`, { auth: stack.alice.auth, body: { list, message: 'Welcome' } });
    expect(res.status).toBe(200);
    expect(res.body.invitations.map((i: { email: string }) => i.email).sort()).toEqual(['jane@example.test', 'joe@example.test']);
    expect(res.body.added_users.map((u: { id: number }) => u.id)).toEqual([stack.carol.id]);
    expect(res.body.erroneous_emails).toEqual(['bad entry']);
    expect((await relay.mailTo('joe@example.test')).text).toContain('Welcome');
    expect((await api(stack, 'GET', path(), { auth: stack.carol.auth })).status).toBe(200);
  });

  it(`refuses more than ${MAX_IMPORT} addresses (400, nothing invited) and a body past BODY_LIMIT (413)`, async () => {
    const many = Array.from({ length: MAX_IMPORT + 1 }, (_, i) => `many${i}@example.test`).join(',');
    const res = await api(stack, 'POST', `${path()}/import`, { auth: stack.alice.auth, body: { list: many } });
    expect(res.status).toBe(400);
    expect(res.body.errors.list[0]).toMatch(/at most 100/);
    const pending = await api(stack, 'GET', path(), { auth: stack.alice.auth });
    expect(pending.body.some((i: { email: string }) => i.email.startsWith('many'))).toBe(false);
    const huge = await api(stack, 'POST', `${path()}/import`, { auth: stack.alice.auth, body: { list: 'x'.repeat(300 * 1024) } });
    expect(huge.status).toBe(413);
  });
});
