/** The Postgres SessionStore behind `PostgresDirectory.sessions`: table `sessions` (migration 004), keyed by the secret's hash. */
import type { Pool } from 'pg';
import { hashSessionToken, newSessionToken, passwordChangedMeanwhile, requirePositiveTtl } from '../../../core/auth/sessions';
import type { User } from '../../../core/domain/types';
import { notFound } from '../../../core/errors';
import type { NewSession, SessionStore } from '../../../core/ports/session-store';
import { USER_COLUMNS, toUser, type UserRow } from './rows';

export class PostgresSessions implements SessionStore {
  constructor(private readonly pool: Pool) {}

  async createSession(userId: number, ttlMs: number, passwordVersion: number): Promise<NewSession> {
    requirePositiveTtl(ttlMs);
    const token = newSessionToken();
    // A user's expired sessions go when they log in again, so the table holds about one row per device.
    await this.pool.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at <= now()', [userId]);
    // The database's clock decides expiry everywhere, so web-api nodes with skewed clocks agree.
    // The version is checked again on every request (authenticateSession); written only while it is current.
    const { rows } = await this.pool.query<{ expires_at: Date }>(
      `INSERT INTO sessions (token_hash, user_id, expires_at, password_version)
       SELECT $1, id, now() + make_interval(secs => $3::double precision / 1000), password_version FROM users WHERE id = $2 AND password_version = $4
       RETURNING expires_at`,
      [hashSessionToken(token), userId, ttlMs, passwordVersion],
    );
    if (rows[0]) return { token, expiresAt: rows[0].expires_at };
    const { rowCount } = await this.pool.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    throw rowCount ? passwordChangedMeanwhile() : notFound('user');
  }

  async authenticateSession(token: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id AND u.password_version = s.password_version
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [hashSessionToken(token)],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async revokeSession(token: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [hashSessionToken(token)]);
  }

  async revokeUserSessions(userId: number): Promise<number> {
    const { rows } = await this.pool.query<{ live: number }>(
      'WITH gone AS (DELETE FROM sessions WHERE user_id = $1 RETURNING expires_at) SELECT count(*) FILTER (WHERE expires_at > now())::int AS live FROM gone',
      [userId],
    );
    return rows[0]?.live ?? 0;
  }
}
