/** UserStore: user accounts and which of them a caller may see (the directory's user side). */
import type { User } from '../domain/types';

export interface NewUser {
  email: string;
  password: string;
  /** Defaults to the nick. */
  name?: string;
  /** Defaults to one made from the name, else from the email (core/names.ts). */
  nick?: string;
}

export interface UserStore {
  /** Stores only a hash of the password. Throws CONFLICT when the email is taken, whatever the case. */
  createUser(input: NewUser): Promise<User>;
  userById(id: number): Promise<User | null>;
  /** Emails match case-insensitively. */
  userByEmail(email: string): Promise<User | null>;
  /**
   * Users the caller may see, by id: the caller, every member of an organization the caller
   * administers, and every member of a flow where the caller's own membership is not disabled.
   */
  visibleUsers(userId: number): Promise<User[]>;
  /** A user the caller shares an organization with, else null. */
  visibleUser(callerId: number, userId: number): Promise<User | null>;
  /**
   * Changes the fields given. Throws NOT_FOUND for an unknown user, CONFLICT when the email is
   * taken or when the nick is used by another member of one of the user's organizations.
   */
  updateUser(userId: number, changes: { nick?: string; email?: string; name?: string }): Promise<User>;
}
