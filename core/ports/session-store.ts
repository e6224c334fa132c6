/** SessionStore: the app's server-side login sessions (the directory's sessions side); docs/adr/014-app-sessions.md. */
import type { User } from '../domain/types';

export interface NewSession {
  /** The secret the browser holds in its cookie, returned once; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface SessionStore {
  /**
   * Starts a session for `userId` lasting `ttlMs` (> 0), opened with version `passwordVersion` of
   * the user's password (PasswordMatch). Throws NOT_FOUND for an unknown user, UNAUTHENTICATED when
   * the password changed since it was checked.
   */
  createSession(userId: number, ttlMs: number, passwordVersion: number): Promise<NewSession>;
  /** The user of a session that exists, is not revoked, has not expired and whose password is still the user's; else null. */
  authenticateSession(token: string): Promise<User | null>;
  /** Ends the session at once (logout); unknown or already revoked is not an error. */
  revokeSession(token: string): Promise<void>;
  /** Ends every session of a user (a password change); returns how many were live. */
  revokeUserSessions(userId: number): Promise<number>;
}
