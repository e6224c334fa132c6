/**
 * MentionNotices on Postgres (tables `mention_notices` and `mention_mail_optouts`, migration 015).
 * One user's notices are settled under a transaction-level advisory lock on the user, so two
 * workers never mail one person twice, nor split one person's mentions over two mails.
 */
import type pg from 'pg';
import type { MentionNotices, MentionRecord, MentionSettlement, PendingMention } from '../../../core/ports/mention-notices';
import { enqueueMail } from './postgres-mail-outbox';

/** The advisory lock namespace of mention settling (the two-key form, apart from the shard and migration locks). */
const SETTLE_LOCK_CLASS = 7_310_029;
/** Due users looked at per round: more than one, so that a user another worker holds does not stop this one. */
const CANDIDATES = 8;

interface NoticeRow {
  flow_id: string;
  message_id: string;
  author_id: string | null;
  created_at: Date;
  due_at: Date;
}

const pendingOf = (r: NoticeRow): PendingMention => ({
  flowId: r.flow_id, messageId: Number(r.message_id), authorId: r.author_id === null ? null : Number(r.author_id), createdAt: r.created_at, dueAt: r.due_at,
});

export class PostgresMentionNotices implements MentionNotices {
  constructor(private readonly pool: pg.Pool) {}

  async record(mentions: readonly MentionRecord[], quietMs: number): Promise<void> {
    const flows: string[] = [];
    const messages: number[] = [];
    const users: number[] = [];
    const authors: (number | null)[] = [];
    for (const m of mentions) {
      for (const userId of m.userIds) {
        flows.push(m.flowId);
        messages.push(m.messageId);
        users.push(userId);
        authors.push(m.authorId);
      }
    }
    if (!users.length) return;
    // The join keeps only active members: a tag naming anyone else (or no one) records nothing; nor
    // does a mention of someone who turned the mails off (an @everyone in a big flow stays cheap).
    await this.pool.query(
      `INSERT INTO mention_notices (flow_id, message_id, user_id, author_id, due_at)
       SELECT m.flow_id, m.message_id, m.user_id, m.author_id, now() + $5 * interval '1 millisecond'
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS m(flow_id, message_id, user_id, author_id)
       JOIN flow_members f ON f.flow_id = m.flow_id AND f.user_id = m.user_id AND f.in_flow AND NOT f.disabled
       WHERE m.user_id IS DISTINCT FROM m.author_id AND NOT EXISTS (SELECT 1 FROM mention_mail_optouts o WHERE o.user_id = m.user_id)
       ON CONFLICT DO NOTHING`,
      [flows, messages, users, authors, quietMs],
    );
  }

  async settleNextDue(decide: (userId: number, pending: PendingMention[]) => Promise<MentionSettlement>): Promise<boolean> {
    const { rows: due } = await this.pool.query<{ user_id: string }>(
      `SELECT user_id FROM mention_notices WHERE state = 'pending' AND due_at <= now() GROUP BY user_id ORDER BY min(due_at) LIMIT $1`,
      [CANDIDATES],
    );
    if (!due.length) return false;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const { user_id } of due) {
        const { rows: [lock] } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2::bigint::int) AS locked', [SETTLE_LOCK_CLASS, user_id]);
        if (!lock?.locked) continue;
        // Read again under the lock: another worker may have settled them since the first look.
        const { rows } = await client.query<NoticeRow>(
          `SELECT flow_id, message_id, author_id, created_at, due_at FROM mention_notices WHERE user_id = $1 AND state = 'pending' ORDER BY created_at, message_id`,
          [user_id],
        );
        if (!rows.some((r) => r.due_at.getTime() <= Date.now())) continue;
        const settlement = await decide(Number(user_id), rows.map(pendingOf));
        await this.write(client, Number(user_id), settlement);
        await client.query('COMMIT');
        return true;
      }
      await client.query('COMMIT');
      // Every candidate was held by another worker: nothing settled here, but there may be more to do.
      return false;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async write(client: pg.PoolClient, userId: number, s: MentionSettlement): Promise<void> {
    const mailId = s.mail && s.mailed.length ? await enqueueMail(client, s.mail) : null;
    const keys = (list: PendingMention[]) => [list.map((m) => m.flowId), list.map((m) => m.messageId)];
    if (mailId !== null) {
      await client.query(
        `UPDATE mention_notices n SET state = 'mailed', outcome = 'mailed', mail_id = $4 FROM unnest($2::text[], $3::bigint[]) AS k(flow_id, message_id)
         WHERE n.user_id = $1 AND n.flow_id = k.flow_id AND n.message_id = k.message_id`,
        [userId, ...keys(s.mailed), mailId],
      );
    }
    if (s.skipped.length) {
      await client.query(
        `UPDATE mention_notices n SET state = 'skipped', outcome = k.why FROM unnest($2::text[], $3::bigint[], $4::text[]) AS k(flow_id, message_id, why)
         WHERE n.user_id = $1 AND n.flow_id = k.flow_id AND n.message_id = k.message_id`,
        [userId, ...keys(s.skipped.map((x) => x.mention)), s.skipped.map((x) => x.why)],
      );
    }
    if (s.postponed.length) {
      await client.query(
        `UPDATE mention_notices n SET due_at = k.until FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) AS k(flow_id, message_id, until)
         WHERE n.user_id = $1 AND n.flow_id = k.flow_id AND n.message_id = k.message_id`,
        [userId, ...keys(s.postponed.map((x) => x.mention)), s.postponed.map((x) => x.until)],
      );
    }
  }

  async mailsOn(userId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM mention_mail_optouts WHERE user_id = $1', [userId]);
    return rowCount === 0;
  }

  async setMailsOn(userId: number, on: boolean): Promise<void> {
    if (on) await this.pool.query('DELETE FROM mention_mail_optouts WHERE user_id = $1', [userId]);
    else await this.pool.query('INSERT INTO mention_mail_optouts (user_id) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
  }
}
