/** CredentialStore: API tokens and password checks (the directory's credentials side). */
import type { User } from '../domain/types';

/** A password that matched, and which of the user's passwords it was (a session opened with it records it). */
export interface PasswordMatch {
  user: User;
  /** Counts the user's password changes: a session of an older one no longer authenticates. */
  passwordVersion: number;
}

export interface CredentialStore {
  /** Returns the plain token once; only its hash is stored. */
  createApiToken(userId: number): Promise<string>;
  /**
   * The user whose email (case-insensitive) and password match, with that password's version, else
   * null. An unknown email costs the same one password verification as a known one, so timing does
   * not tell them apart.
   */
  authenticatePassword(email: string, password: string): Promise<PasswordMatch | null>;
  authenticateToken(token: string): Promise<User | null>;
  /** The version of the user's current password (PasswordMatch); null for an unknown user. */
  passwordVersionOf(userId: number): Promise<number | null>;
  /** Replaces the user's password (only its hash is stored) and bumps its version; throws NOT_FOUND for an unknown user. */
  setPassword(userId: number, password: string): Promise<void>;
}
