/**
 * The batch statement's check of members' posts (ADR 035) against the access policy it stands for:
 * for every state a member can be in, the store writes the post exactly when decide(…, 'post')
 * allows it, and refuses it with the same answer otherwise. Real Postgres: the directory and the
 * store share the database, as they do in production.
 */
import { Client } from 'pg';
import { decide, decideRefusedPost } from '../../core/access/flow-policy';
import type { Flow, User } from '../../core/domain/types';
import { PosterRefusedError } from '../../core/errors';
import type { MessageBatch } from '../../core/ports/message-store';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { PostgresDirectory } from './directory/postgres-directory';
import { PostgresMessageStore } from './postgres-message-store';

const FENCE = { shard: 0, token: 1 };
let db: TestDatabase;
let directory: PostgresDirectory;
let store: PostgresMessageStore;
let sequence = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  directory = new PostgresDirectory(db.pool);
  store = new PostgresMessageStore({ pool: db.pool });
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

async function user(label: string): Promise<User> {
  sequence += 1;
  return directory.createUser({ email: `${label}-${sequence}@example.com`, name: label, password: 'correct horse battery' });
}

/** One post by `userId` into `flow`, with its poster to check. */
async function postBatch(flowId: string, userId: number): Promise<MessageBatch> {
  const id = (await store.lastId(flowId)) + 1;
  const message = {
    id, uuid: `u-${flowId}-${id}-${userId}`, event: 'message', content: 'hello', tags: [], user: String(userId), flow: flowId,
    sent: Date.now(), created_at: new Date().toISOString(), edited: null, app: 'chat', attachments: [],
  };
  return { inserts: [{ conversation: flowId, message }], updates: [], threads: [], posters: [{ flowId, userId }] };
}

/** Whether the store wrote the post, or the refusal it answered with. */
async function attempt(flowId: string, userId: number): Promise<'written' | PosterRefusedError> {
  const before = await store.lastId(flowId);
  try {
    await store.writeBatch(await postBatch(flowId, userId), FENCE);
    expect(await store.lastId(flowId)).toBe(before + 1);
    return 'written';
  } catch (err) {
    if (!(err instanceof PosterRefusedError)) throw err;
    expect(await store.lastId(flowId)).toBe(before); // nothing of the batch
    return err;
  }
}

test('the store writes a member\'s post exactly when the access policy allows it, and refuses it with the policy\'s answer', async () => {
  const org = await directory.createOrganization('Poster Checks');
  const other = await directory.createOrganization('Elsewhere');
  const flow = await directory.createFlow(org.id, 'Invite Only');
  const open = await directory.createFlow(org.id, 'Everyone', 'organization');
  const archived = await directory.createFlow(org.id, 'Old Times');
  const [active, blocked, left, unjoined, removed, outsider, archivedMember] = await Promise.all(
    ['active', 'blocked', 'left', 'unjoined', 'removed', 'outsider', 'archived'].map(user),
  );
  for (const u of [active, blocked, left, unjoined, removed, archivedMember]) await directory.addOrganizationMember(org.id, u!.id, false);
  await directory.addOrganizationMember(other.id, outsider!.id, false);
  for (const u of [active, blocked, left, removed]) await directory.addFlowMember(flow.id, u!.id);
  await directory.addFlowMember(archived.id, archivedMember!.id);
  // A flow member who is not in the organization (an old row): members of the flow only are not members.
  await directory.addFlowMember(flow.id, outsider!.id);
  await directory.setFlowMemberDisabled(flow.id, blocked!.id, true);
  await db.pool.query('UPDATE flow_members SET in_flow = false WHERE flow_id = $1 AND user_id = $2', [flow.id, left!.id]);
  await directory.removeOrganizationMember(org.id, removed!.id);
  await directory.updateFlow(archived.id, { disabled: true });

  const cases: [string, User, Flow][] = [
    ['an active member', active!, flow],
    ['a blocked member', blocked!, flow],
    ['a member who left the flow', left!, flow],
    ['an organization member who never joined', unjoined!, flow],
    ['an organization member, organization-mode flow not joined', unjoined!, open],
    ['a member removed from the organization', removed!, flow],
    ['a flow member outside the organization', outsider!, flow],
    ['an active member of an archived flow', archivedMember!, archived],
  ];
  const seen: string[] = [];
  for (const [label, who, where] of cases) {
    const access = await directory.flowAccess(who.id, { id: where.id });
    if (!access) throw new Error(`flow ${where.id} not found`);
    const expected = decide(access, 'post');
    const outcome = await attempt(where.id, who.id);
    if (outcome === 'written') {
      expect({ label, allowed: expected.allowed }).toEqual({ label, allowed: true });
    } else {
      expect(outcome.refused).toHaveLength(1);
      expect({ label, decision: decideRefusedPost(outcome.refused[0]!) }).toEqual({ label, decision: expected });
    }
    seen.push(`${label}: ${outcome === 'written' ? 'written' : decideRefusedPost(outcome.refused[0]!).reason}`);
  }
  // The cases really cover each answer (not all written, not all refused alike).
  expect(seen).toEqual([
    'an active member: written',
    'a blocked member: flow not found',
    'a member who left the flow: flow not found',
    'an organization member who never joined: flow not found',
    'an organization member, organization-mode flow not joined: flow not found',
    'a member removed from the organization: flow not found',
    'a flow member outside the organization: flow not found',
    'an active member of an archived flow: the flow is archived',
  ]);
});

test('one refused poster keeps the whole batch out, and the refusal names only them', async () => {
  const org = await directory.createOrganization('Mixed Batch');
  const flow = await directory.createFlow(org.id, 'Room');
  const [ok, blocked] = [await user('ok'), await user('blocked')];
  for (const u of [ok, blocked]) {
    await directory.addOrganizationMember(org.id, u.id, false);
    await directory.addFlowMember(flow.id, u.id);
  }
  await directory.setFlowMemberDisabled(flow.id, blocked.id, true);
  const first = await postBatch(flow.id, ok.id);
  const second = await postBatch(flow.id, blocked.id);
  second.inserts[0]!.message.id = 2;
  const batch: MessageBatch = { inserts: [...first.inserts, ...second.inserts], updates: [], threads: [], posters: [...first.posters!, ...second.posters!] };
  const refusal = await store.writeBatch(batch, FENCE).then(() => null, (err: unknown) => err);
  expect(refusal).toBeInstanceOf(PosterRefusedError);
  expect((refusal as PosterRefusedError).refused).toEqual([{ flowId: flow.id, userId: blocked.id, archived: false }]);
  expect(await store.lastId(flow.id)).toBe(0);
});

test('a block committed before the batch statement is seen by it; one still in flight does not hold the batch back', async () => {
  const org = await directory.createOrganization('Racing Block');
  const flow = await directory.createFlow(org.id, 'Room');
  const member = await user('racer');
  await directory.addOrganizationMember(org.id, member.id, false);
  await directory.addFlowMember(flow.id, member.id);
  // The block, in flight: not committed, so not answered yet.
  const blocker = new Client({ connectionString: db.url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('UPDATE flow_members SET disabled = true WHERE flow_id = $1 AND user_id = $2', [flow.id, member.id]);
    // Posted before the block is answered: stored, without waiting on the block's row lock.
    expect(await attempt(flow.id, member.id)).toBe('written');
    await blocker.query('COMMIT');
    // Once the block is committed (and so may have been answered), the next post is refused.
    const after = await attempt(flow.id, member.id);
    expect(after).toBeInstanceOf(PosterRefusedError);
    expect(await store.lastId(flow.id)).toBe(1);
  } finally {
    await blocker.end();
  }
});

test('a batch without posters (sources, edits, private messages) is written as before', async () => {
  const batch = await postBatch('no-such-flow', 1);
  delete batch.posters;
  await store.writeBatch(batch, FENCE);
  expect(await store.lastId('no-such-flow')).toBe(1);
});
