/** Nicks are unique per organization, case-insensitively (409 on a clash), and `@nick` tags exactly that member. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { RATE_LIMIT: '10000' } });
});
afterAll(async () => {
  await s.stop();
});

describe('nick uniqueness per organization', () => {
  it('409 CONFLICT naming the nick when changing to one an org-mate uses, whatever its case', async () => {
    const r = await api(s, 'PUT', `/users/${s.bob.id}`, { auth: s.bob.auth, body: { nick: 'ALICE' } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CONFLICT', errors: { nick: ['is already taken'] } });
    expect(r.body.message).toContain('"ALICE" is already used');
    expect((await api(s, 'GET', '/user', { auth: s.bob.auth })).body.nick).toBe('bob');
    // A change of case of one's own nick is not a clash.
    expect((await api(s, 'PUT', `/users/${s.bob.id}`, { auth: s.bob.auth, body: { nick: 'Bob' } })).status).toBe(200);
  });

  it('of two concurrent changes to the same nick, exactly one wins', async () => {
    const statuses = await Promise.all(
      [s.bob, s.carol].map((u) => api(s, 'PUT', `/users/${u.id}`, { auth: u.auth, body: { nick: 'samesame' } }).then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([200, 409]);
  });

  it('adding a user whose nick an org member already uses is a 409; another organization may use it', async () => {
    const twin = await s.directory.createUser({ email: 'alice-twin@example.test', password: 'twin-password', nick: 'Alice' });
    await expect(s.directory.addOrganizationMember(s.org.id, twin.id, false)).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    const other = await s.directory.createOrganization('Other Org');
    await expect(s.directory.addOrganizationMember(other.id, twin.id, false)).resolves.toBeUndefined();
    expect((await s.directory.organizationMembers(s.org.id)).some((m) => m.id === twin.id)).toBe(false);
  });
});

describe('mentions', () => {
  it('@nick in content and in tags resolves to that one member, case-insensitively', async () => {
    const r = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: { event: 'message', content: 'hi @ALICE', tags: ['@alice'] } });
    expect(r.status).toBe(201);
    const userTags = (r.body.tags as string[]).filter((t) => t.startsWith(':user:') || t.startsWith(':unread:'));
    expect(userTags.sort()).toEqual([`:unread:${s.alice.id}`, `:user:${s.alice.id}`]);
  });
});
