/** The SessionStore side of a Directory, handed to its own class: both directories extend this instead of repeating the delegation. */
import type { User } from './domain/types';
import type { NewSession, SessionStore } from './ports/session-store';

export abstract class SessionStoreDelegate implements SessionStore {
  /** The implementation the directory built (core/in-process/in-process-sessions.ts, infra/postgres/directory/postgres-sessions.ts). */
  protected abstract readonly sessions: SessionStore;

  createSession(userId: number, ttlMs: number): Promise<NewSession> {
    return this.sessions.createSession(userId, ttlMs);
  }

  authenticateSession(token: string): Promise<User | null> {
    return this.sessions.authenticateSession(token);
  }

  revokeSession(token: string): Promise<void> {
    return this.sessions.revokeSession(token);
  }

  revokeUserSessions(userId: number): Promise<number> {
    return this.sessions.revokeUserSessions(userId);
  }
}
