/**
 * The MailOutbox on Postgres (table `mail_outbox`, migration 015). Claiming takes due rows with
 * FOR UPDATE SKIP LOCKED and moves their next_attempt_at past a lease in the same statement, so two
 * senders never hold one mail, and a sender that dies leaves its mails due again after the lease.
 */
import type pg from 'pg';
import type { MailOutbox, QueuedMail } from '../../../core/ports/mail-outbox';
import type { OutgoingMail } from '../../../core/ports/mailer';

/** Anything that runs a query: the pool, or a client inside a transaction (enqueueing with what causes the mail). */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Enqueues `mail` through `db`; its id. The one INSERT into the outbox, shared by the stores that enqueue in their own transaction. */
export async function enqueueMail(db: Queryable, mail: OutgoingMail): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO mail_outbox (recipient, subject, body_text, body_html, headers) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [mail.to, mail.subject, mail.text, mail.html ?? null, JSON.stringify(mail.headers ?? {})],
  );
  return Number(rows[0]!.id);
}

interface OutboxRow {
  id: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  headers: Record<string, string>;
  attempts: number;
}

export class PostgresMailOutbox implements MailOutbox {
  constructor(private readonly pool: pg.Pool) {}

  enqueue(mail: OutgoingMail): Promise<number> {
    return enqueueMail(this.pool, mail);
  }

  async claimDue(limit: number, leaseMs: number): Promise<QueuedMail[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE mail_outbox SET next_attempt_at = now() + $2 * interval '1 millisecond'
       WHERE id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, recipient, subject, body_text, body_html, headers, attempts`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      attempts: r.attempts,
      mail: { to: r.recipient, subject: r.subject, text: r.body_text, ...(r.body_html ? { html: r.body_html } : {}), ...(Object.keys(r.headers).length ? { headers: r.headers } : {}) },
    }));
  }

  async markSent(id: number): Promise<void> {
    await this.pool.query(`UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL, done_at = now() WHERE id = $1`, [id]);
  }

  async markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    await this.pool.query(
      `UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,
         state = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = COALESCE($3::timestamptz, next_attempt_at),
         done_at = CASE WHEN $3::timestamptz IS NULL THEN now() END
       WHERE id = $1`,
      [id, error.slice(0, 2000), retryAt],
    );
  }

  async counts(): Promise<{ pending: number; failed: number }> {
    const { rows } = await this.pool.query<{ pending: string; failed: string }>(
      // Two counts, each over its partial index: the sent rows (most of the table) are never read.
      `SELECT (SELECT count(*) FROM mail_outbox WHERE state = 'pending') AS pending, (SELECT count(*) FROM mail_outbox WHERE state = 'failed') AS failed`,
    );
    return { pending: Number(rows[0]!.pending), failed: Number(rows[0]!.failed) };
  }
}
