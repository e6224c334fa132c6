/** The Postgres InvitationStore (table `invitations`, migration 014; its mail goes into `mail_outbox` in the same transaction). */
import type pg from 'pg';
import type { Invitation, NewInvitation } from '../../../core/domain/invitation';
import { notFound } from '../../../core/errors';
import type { InvitationStore } from '../../../core/ports/invitation-store';
import type { OutgoingMail } from '../../../core/ports/mailer';
import { enqueueMail } from '../mail/postgres-mail-outbox';

const COLUMNS = 'id, flow_id, email, state, message, inviter_id, created_at, accepted_at';

interface InvitationRow {
  id: string;
  flow_id: string;
  email: string;
  state: Invitation['state'];
  message: string | null;
  inviter_id: string | null;
  created_at: Date;
  accepted_at: Date | null;
}

const invitationOf = (r: InvitationRow): Invitation => ({
  id: Number(r.id), flowId: r.flow_id, email: r.email, state: r.state, message: r.message,
  inviterId: r.inviter_id === null ? null : Number(r.inviter_id), createdAt: r.created_at, acceptedAt: r.accepted_at,
});

export class PostgresInvitations implements InvitationStore {
  constructor(private readonly pool: pg.Pool) {}

  async invite(input: NewInvitation, tokenHash: string, mail: OutgoingMail): Promise<Invitation> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<InvitationRow>(
        `INSERT INTO invitations (flow_id, email, message, inviter_id, token_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (flow_id, lower(email)) WHERE state = 'pending'
         DO UPDATE SET token_hash = EXCLUDED.token_hash, message = EXCLUDED.message, inviter_id = EXCLUDED.inviter_id
         RETURNING ${COLUMNS}`,
        [input.flowId, input.email, input.message, input.inviterId, tokenHash],
      );
      await enqueueMail(client, mail);
      await client.query('COMMIT');
      return invitationOf(rows[0]!);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((err as { code?: string }).code === '23503') throw notFound('flow or inviter');
      throw err;
    } finally {
      client.release();
    }
  }

  async pendingOfFlow(flowId: string): Promise<Invitation[]> {
    const { rows } = await this.pool.query<InvitationRow>(`SELECT ${COLUMNS} FROM invitations WHERE flow_id = $1 AND state = 'pending' ORDER BY id`, [flowId]);
    return rows.map(invitationOf);
  }

  async invitationOfFlow(flowId: string, id: number): Promise<Invitation | null> {
    const { rows } = await this.pool.query<InvitationRow>(`SELECT ${COLUMNS} FROM invitations WHERE flow_id = $1 AND id = $2`, [flowId, id]);
    return rows[0] ? invitationOf(rows[0]) : null;
  }

  async pendingByTokenHash(tokenHash: string): Promise<Invitation | null> {
    const { rows } = await this.pool.query<InvitationRow>(`SELECT ${COLUMNS} FROM invitations WHERE token_hash = $1 AND state = 'pending'`, [tokenHash]);
    return rows[0] ? invitationOf(rows[0]) : null;
  }

  async accept(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE invitations SET state = 'accepted', accepted_at = now() WHERE id = $1 AND state = 'pending'`, [id]);
    return rowCount === 1;
  }

  async deletePending(flowId: string, id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM invitations WHERE flow_id = $1 AND id = $2 AND state = 'pending'`, [flowId, id]);
    return rowCount === 1;
  }
}
