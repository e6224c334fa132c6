/** The in-process SessionStore behind `InProcessDirectory.sessions`: sessions by hashed secret, in a Map. */
import type { User } from '../domain/types';
import { hashSessionToken, newSessionToken, passwordChangedMeanwhile, requirePositiveTtl } from '../auth/sessions';
import type { PasswordMatch } from '../ports/credential-store';
import { notFound } from '../errors';
import type { NewSession, SessionStore } from '../ports/session-store';

export class InProcessSessions implements SessionStore {
  private readonly sessions = new Map<string, { userId: number; expiresAt: number; passwordVersion: number }>();

  /** `currentUser` is the directory's own lookup, so a session always answers with the user (and password version) as they are now. */
  constructor(private readonly currentUser: (id: number) => Promise<PasswordMatch | null>) {}

  async createSession(userId: number, ttlMs: number, passwordVersion: number): Promise<NewSession> {
    requirePositiveTtl(ttlMs);
    const now = await this.currentUser(userId);
    if (!now) throw notFound('user');
    if (now.passwordVersion !== passwordVersion) throw passwordChangedMeanwhile();
    const token = newSessionToken();
    const expiresAt = Date.now() + ttlMs;
    this.sessions.set(hashSessionToken(token), { userId, expiresAt, passwordVersion });
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
    const now = await this.currentUser(session.userId);
    return now && now.passwordVersion === session.passwordVersion ? now.user : null;
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

