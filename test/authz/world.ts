/**
 * The world of the authorization suites: one full stack (web-api, streaming-api, message-backend
 * on real Postgres and Redis) plus a second streaming node, an organization-mode flow with history,
 * and one user per kind of actor, their access set up through the REST API itself.
 */
import { silentLog } from '../../core/log';
import { type RunningServices, startServices } from '../../cli/start';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../support/stack';

/** Every kind of caller the access rules tell apart. */
export const ACTORS = ['admin', 'member', 'blocked', 'nonJoined', 'outsider', 'removed'] as const;
export type Actor = (typeof ACTORS)[number];

export interface StreamNode {
  /** Base URL of the HTTP streams (`…/flows?filter=`). */
  http: string;
  ws: string;
}

export interface World {
  s: TestStack;
  /** Node 1 serves REST and streams (all in one process); node 2 is a streaming node of its own. */
  nodes: [StreamNode, StreamNode];
  actors: Record<Actor, SeededUser>;
  /** The organization-mode flow every actor is tested against. */
  open: { id: string; path: string };
  /** A message of `open` (by the member) that starts a thread. */
  seeded: { id: number; threadId: string };
  /** Seeds an organization member (optionally admin) with a token. */
  addOrgUser(nick: string, admin?: boolean): Promise<SeededUser>;
  call(actor: SeededUser, method: string, path: string, body?: unknown): ReturnType<typeof api>;
  stop(): Promise<void>;
}

export async function buildWorld(): Promise<World> {
  const s = await startTestStack();
  const node2: RunningServices = await startServices('streaming-api', s.config, silentLog());
  const wsOf = (http: string) => http.replace(/^http/, 'ws');
  const nodes: [StreamNode, StreamNode] = [
    { http: `${s.url}/stream`, ws: `${wsOf(s.url)}/stream/ws` },
    { http: `http://127.0.0.1:${node2.port}`, ws: `ws://127.0.0.1:${node2.port}/ws` },
  ];
  const addOrgUser = async (nick: string, admin = false) => {
    const user = await seedUser(s.directory, nick);
    await s.directory.addOrganizationMember(s.org.id, user.id, admin);
    return user;
  };
  const call = (actor: SeededUser, method: string, path: string, body?: unknown) => api(s, method, path, { auth: actor.auth, ...(body !== undefined ? { body } : {}) });
  const other = await s.directory.createOrganization('Elsewhere');
  const outsider = await seedUser(s.directory, 'erin');
  await s.directory.addOrganizationMember(other.id, outsider.id, true);
  const actors: Record<Actor, SeededUser> = {
    admin: s.alice, member: s.bob, nonJoined: s.carol, outsider,
    blocked: await addOrgUser('dave'),
    removed: await addOrgUser('frank'),
  };

  const created = await call(actors.admin, 'POST', `/flows/${s.org.name}`, { name: 'Open', access_mode: 'organization' });
  const open = { id: created.body.id as string, path: `${s.org.name}/open` };
  for (const who of [actors.member, actors.blocked, actors.removed]) await call(actors.admin, 'POST', `/flows/${open.path}/users`, { id: who.id });
  const message = await call(actors.member, 'POST', `/flows/${open.path}/messages`, { event: 'message', content: 'seeded history' });
  // Private history the removed user must lose with the organization.
  await call(actors.removed, 'POST', `/private/${actors.member.id}/messages`, { event: 'message', content: 'seeded private of removed' });
  await call(actors.admin, 'POST', `/private/${actors.member.id}/messages`, { event: 'message', content: 'seeded private' });
  expect((await call(actors.admin, 'PUT', `/flows/${open.path}/users/${actors.blocked.id}`, { disabled: true })).status).toBe(200);
  expect((await call(actors.admin, 'DELETE', `/organizations/${s.org.name}/users/${actors.removed.id}`)).status).toBe(204);

  return {
    s, nodes, actors, open, addOrgUser, call,
    seeded: { id: message.body.id, threadId: message.body.thread_id },
    async stop() {
      await node2.stop();
      await s.stop();
    },
  };
}
