/**
 * The mail stores on a real database: the outbox hands each due mail to one claimer at a time and
 * records retries and give-ups; mention notices record only members who want a mail, once, and
 * one user's notices are settled by one worker at a time, with their mail, in one transaction.
 */
import { PostgresDirectory } from '../directory/postgres-directory';
import { PostgresMailOutbox } from './postgres-mail-outbox';
import { PostgresMentionNotices } from './postgres-mention-notices';
import type { MentionSettlement, PendingMention } from '../../../core/ports/mention-notices';
import { eventually } from '../../../test/support/feed-server';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres';

let db: TestDatabase;
let outbox: PostgresMailOutbox;
let notices: PostgresMentionNotices;
let directory: PostgresDirectory;

beforeAll(async () => {
  db = await createTestDatabase();
  outbox = new PostgresMailOutbox(db.pool);
  notices = new PostgresMentionNotices(db.pool);
  directory = new PostgresDirectory(db.pool);
});

afterAll(() => db?.drop());

const mail = (n: number) => ({ to: `r${n}@example.test`, subject: `mail ${n}`, text: 'hello' });

describe('the outbox', () => {
  it('hands each due mail to one of two concurrent claimers, and none again while claimed', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => outbox.enqueue(mail(n))));
    const [a, b] = await Promise.all([outbox.claimDue(20, 60_000), outbox.claimDue(20, 60_000)]);
    const claimed = [...a!, ...b!].map((q) => q.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort((x, y) => x - y)).toEqual(ids.sort((x, y) => x - y));
    expect(await outbox.claimDue(20, 60_000)).toEqual([]);
    for (const id of ids) await outbox.markSent(id);
    expect(await outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('gives a mail back once its claim lapses, waits for a retry time, and keeps a given-up mail out for good', async () => {
    const id = await outbox.enqueue({ ...mail(99), html: '<p>x</p>', headers: { 'List-Unsubscribe': '<https://x.test/u>' } });
    expect((await outbox.claimDue(5, 50)).map((q) => q.mail)).toEqual([{ ...mail(99), html: '<p>x</p>', headers: { 'List-Unsubscribe': '<https://x.test/u>' } }]);
    const again = await eventually(() => outbox.claimDue(5, 60_000), (q) => q.length === 1, 'the lapsed claim');
    expect(again[0]).toMatchObject({ id, attempts: 0 });
    await outbox.markAttemptFailed(id, 'connect ECONNREFUSED', new Date(Date.now() + 3_600_000));
    expect(await outbox.claimDue(5, 60_000)).toEqual([]);
    await db.pool.query('UPDATE mail_outbox SET next_attempt_at = now() WHERE id = $1', [id]);
    expect((await outbox.claimDue(5, 60_000))[0]).toMatchObject({ id, attempts: 1 });
    await outbox.markAttemptFailed(id, '550 no such mailbox', null);
    await db.pool.query('UPDATE mail_outbox SET next_attempt_at = now() WHERE id = $1', [id]);
    expect(await outbox.claimDue(5, 60_000)).toEqual([]);
    expect(await outbox.counts()).toEqual({ pending: 0, failed: 1 });
    const { rows } = await db.pool.query('SELECT state, attempts, last_error FROM mail_outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ state: 'failed', attempts: 2, last_error: '550 no such mailbox' });
  });
});

describe('mention notices', () => {
  async function world() {
    const org = await directory.createOrganization(`Org ${Math.random()}`);
    const people = [];
    for (const name of ['author', 'reader', 'quiet', 'outsider', 'left']) {
      people.push(await directory.createUser({ email: `${name}${Math.random()}@example.test`, password: 'password-1', name }));
    }
    const [author, reader, quiet, , left] = people;
    const flow = await directory.createFlow(org.id, 'Flow');
    for (const u of [author!, reader!, quiet!, left!]) {
      await directory.addOrganizationMember(org.id, u.id, false);
      await directory.addFlowMember(flow.id, u.id);
    }
    await db.pool.query('UPDATE flow_members SET in_flow = false WHERE flow_id = $1 AND user_id = $2', [flow.id, left!.id]);
    await notices.setMailsOn(quiet!.id, false);
    return { flow, people: people.map((p) => p!) };
  }
  const rowsOf = async (flowId: string) =>
    (await db.pool.query<{ user_id: string; due_at: Date; state: string }>('SELECT user_id, due_at, state FROM mention_notices WHERE flow_id = $1 ORDER BY message_id, user_id', [flowId])).rows;

  it('records only active members who want mails, never the author, and a second record of the same changes nothing', async () => {
    const { flow, people } = await world();
    const [author, reader, quiet, outsider, left] = people;
    const mentions = [{ flowId: flow.id, messageId: 1, userIds: people.map((p) => p.id).concat(987_654_321), authorId: author!.id }];
    await notices.record(mentions, 60_000);
    const first = await rowsOf(flow.id);
    expect(first.map((r) => Number(r.user_id))).toEqual([reader!.id]);
    await notices.record(mentions, 0);
    expect(await rowsOf(flow.id)).toEqual(first);
    expect(await notices.mailsOn(quiet!.id)).toBe(false);
    expect([outsider, left].every((p) => !first.some((r) => Number(r.user_id) === p!.id))).toBe(true);
  });

  it('settles one user\'s mentions in one worker: a second finds them held, and the mail and states are written together', async () => {
    const { flow, people } = await world();
    const [author, reader] = people;
    await notices.record([1, 2, 3].map((messageId) => ({ flowId: flow.id, messageId, userIds: [reader!.id], authorId: author!.id })), 0);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const decide = async (userId: number, pending: PendingMention[]): Promise<MentionSettlement> => {
      entered();
      await gate;
      return { mail: { to: `user${userId}@example.test`, subject: 'mentions', text: pending.map((p) => p.messageId).join(',') }, mailed: pending.slice(1), skipped: [{ mention: pending[0]!, why: 'read' }], postponed: [] };
    };
    const first = notices.settleNextDue(decide);
    await inside;
    const decided: number[] = [];
    expect(await notices.settleNextDue(async (userId) => { decided.push(userId); return { mail: null, mailed: [], skipped: [], postponed: [] }; })).toBe(false);
    expect(decided).toEqual([]);
    open();
    expect(await first).toBe(true);
    expect((await rowsOf(flow.id)).map((r) => r.state)).toEqual(['skipped', 'mailed', 'mailed']);
    const { rows } = await db.pool.query<{ body_text: string }>("SELECT body_text FROM mail_outbox WHERE recipient = $1", [`user${reader!.id}@example.test`]);
    expect(rows).toEqual([{ body_text: '1,2,3' }]);
    expect(await notices.settleNextDue(decide)).toBe(false);
  });

  it('postpones a mention to the time given, and a decision that fails writes nothing', async () => {
    const { flow, people } = await world();
    const [author, reader] = people;
    await notices.record([{ flowId: flow.id, messageId: 1, userIds: [reader!.id], authorId: author!.id }], 0);
    await expect(notices.settleNextDue(async () => { throw new Error('presence down'); })).rejects.toThrow('presence down');
    expect((await rowsOf(flow.id))[0]!.state).toBe('pending');
    const until = new Date(Date.now() + 3_600_000);
    expect(await notices.settleNextDue(async (_u, pending) => ({ mail: null, mailed: [], skipped: [], postponed: [{ mention: pending[0]!, until }] }))).toBe(true);
    const [row] = await rowsOf(flow.id);
    expect([row!.state, row!.due_at.getTime()]).toEqual(['pending', until.getTime()]);
  });
});
