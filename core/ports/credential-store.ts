/** CredentialStore: API tokens and password checks (the directory's credentials side). */
import type { User } from '../domain/types';

export interface CredentialStore {
  /** Returns the plain token once; only its hash is stored. */
  createApiToken(userId: number): Promise<string>;
  /**
   * The user whose email (case-insensitive) and password match, else null. An unknown email
   * costs the same one password verification as a known one, so timing does not tell them apart.
   */
  authenticatePassword(email: string, password: string): Promise<User | null>;
  authenticateToken(token: string): Promise<User | null>;
  /** Replaces the user's password (only its hash is stored); throws NOT_FOUND for an unknown user. */
  setPassword(userId: number, password: string): Promise<void>;
}
