/** The in-process SessionStore behind `InProcessDirectory.sessions`: sessions by hashed secret, in a Map. */
import type { User } from '../domain/types';
import { hashSessionToken, newSessionToken, requirePositiveTtl } from '../auth/sessions';
import { notFound } from '../errors';
import type { NewSession, SessionStore } from '../ports/session-store';

export class InProcessSessions implements SessionStore {
  private readonly sessions = new Map<string, { userId: number; expiresAt: number }>();

  /** `userById` is the directory's own lookup, so a session always answers with the user as they are now. */
  constructor(private readonly userById: (id: number) => Promise<User | null>) {}

  async createSession(userId: number, ttlMs: number): Promise<NewSession> {
    requirePositiveTtl(ttlMs);
    if (!(await this.userById(userId))) throw notFound('user');
    const token = newSessionToken();
    const expiresAt = Date.now() + ttlMs;
    this.sessions.set(hashSessionToken(token), { userId, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  async authenticateSession(token: string): Promise<User | null> {
    const key = hashSessionToken(token);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(key);
      return null;
    }
    return this.userById(session.userId);
  }

  async revokeSession(token: string): Promise<void> {
    this.sessions.delete(hashSessionToken(token));
  }

  async revokeUserSessions(userId: number): Promise<number> {
    let live = 0;
    for (const [key, session] of this.sessions) {
      if (session.userId !== userId) continue;
      if (session.expiresAt > Date.now()) live += 1;
      this.sessions.delete(key);
    }
    return live;
  }
}

