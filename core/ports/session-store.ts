/** SessionStore: the app's server-side login sessions (the directory's sessions side); docs/adr/014-app-sessions.md. */
import type { User } from '../domain/types';

export interface NewSession {
  /** The secret the browser holds in its cookie, returned once; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface SessionStore {
  /** Starts a session for `userId` lasting `ttlMs` (> 0); throws NOT_FOUND for an unknown user. */
  createSession(userId: number, ttlMs: number): Promise<NewSession>;
  /** The user of a session that exists, is not revoked and has not expired; else null. */
  authenticateSession(token: string): Promise<User | null>;
  /** Ends the session at once (logout); unknown or already revoked is not an error. */
  revokeSession(token: string): Promise<void>;
  /** Ends every session of a user (a password change); returns how many were live. */
  revokeUserSessions(userId: number): Promise<number>;
}
