/**
 * Authenticator: credentials → user, with a short-lived cache of successful checks so that a
 * chatty client does not pay for scrypt on every request. Failures are never cached.
 */
import { createHash } from 'node:crypto';
import type { User } from '../domain/types';
import { unauthenticated } from '../errors';
import type { PasswordMatch } from '../ports/credential-store';
import type { Directory } from '../ports/directory';
import { assertAppOrigin, assertCsrfToken } from './cookie-request-policy';
import { type Credentials, readCredentials } from './credentials';
import type { LoginGuard } from './login-guard';
import type { RequestCredentials } from './request-credentials';

/**
 * What proved the caller's identity. A password change ends the `password` and `session` logins of
 * the user; `token` ones stay, as an API token is a credential of its own (docs/security.md).
 */
export type LoginKind = 'password' | 'session' | 'token';

export interface AuthenticatedCaller {
  user: User;
  login: LoginKind;
  /** Key for rate limiting: the token, or the user for password logins and sessions. */
  rateKey: string;
  /** The session secret, when the app's session cookie authenticated the request (logout revokes it). */
  session?: string;
  /** The authenticator's clock when the check that admitted the caller began (see `changedSince`). */
  checkedAt: number;
  /** For a password login: the version of the password it matched (checked again after a bus gap). */
  passwordVersion?: number;
}

/** Whether a password change ends a login of this kind (an API token is a credential of its own). */
export function endsWithPasswordChange(login: LoginKind): boolean {
  return login !== 'token';
}

const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;
/** How long a credential change is remembered for checks that began before it: far longer than any check, or a cached login, lives. */
const CHANGE_MEMORY_MS = 10 * 60_000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: AuthenticatedCaller; expires: number }>();
  /** Counts credential changes and bus gaps (forgetUser, forgetEveryone): a check notes it when it begins. */
  private clock = 0;
  /** When a bus gap last made every check so far suspect (by `clock`). */
  private lastGapAt = 0;
  /** When each user's credentials last changed (by `clock`), oldest first. */
  private readonly changes = new Map<number, { at: number; time: number }>();

  /**
   * Without a `loginGuard` failed password logins are not limited (unit tests only). `publicUrl`
   * (PUBLIC_URL) is an origin the app may also be served from, for the session cookie's origin rule.
   */
  constructor(
    private readonly directory: Directory,
    private readonly options: { loginGuard?: LoginGuard; publicUrl?: string | undefined } = {},
  ) {}

  /**
   * The one entry point for a request, whatever its transport. An API token or password (header or
   * `access_token`) wins and keeps Flowdock's rules; otherwise the app's session cookie, which only
   * the app's own origin may use and which needs the CSRF token to change anything
   * (core/auth/cookie-request-policy.ts). Sessions are looked up on every request, never cached, so
   * a logout takes effect at once. Throws UNAUTHENTICATED, FORBIDDEN or RATE_LIMITED.
   */
  async authenticateRequest(request: RequestCredentials): Promise<AuthenticatedCaller> {
    const token = request.sessionToken;
    if (request.authorization || request.accessToken || !token) {
      return this.authenticate(request.authorization, request.accessToken, request.clientAddress);
    }
    const { kind, origin, host, csrfToken, fetchSite } = request;
    const facts = { kind, origin, host, csrfToken, fetchSite, publicUrl: this.options.publicUrl };
    // The origin first: a foreign page learns nothing, not even whether the cookie is still valid.
    assertAppOrigin(facts);
    const checkedAt = this.clock;
    const user = await this.directory.sessions.authenticateSession(token);
    if (!user) throw unauthenticated('Session expired or signed out: log in again');
    assertCsrfToken(token, facts);
    return { user, login: 'session', rateKey: `user:${user.id}`, session: token, checkedAt };
  }

  /**
   * An email and password login (POST /session), limited like every password check: throws
   * RATE_LIMITED while the account or address is locked, UNAUTHENTICATED when they do not match.
   */
  async login(email: string, password: string, clientAddress: string | undefined): Promise<PasswordMatch> {
    // No settling needed: the session starts only while this password version is current (SessionStore.createSession).
    const match = await this.checkPassword(email, password, clientAddress);
    if (!match) throw unauthenticated('Invalid email or password');
    return match;
  }

  /**
   * Throws UNAUTHENTICATED (401) when credentials are missing or wrong, RATE_LIMITED (429) when
   * the account or `clientAddress` has failed too many password logins lately.
   */
  async authenticate(authorization: string | undefined, accessToken: string | undefined, clientAddress?: string): Promise<AuthenticatedCaller> {
    const credentials = readCredentials(authorization, accessToken);
    if (!credentials) throw unauthenticated();
    const key = createHash('sha256').update(JSON.stringify(credentials)).digest('base64');
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) {
      // A locked account or address is locked for the right password too, cached or not.
      if (credentials.kind === 'password') await this.options.loginGuard?.assertOpen(credentials.email, clientAddress);
      return hit.caller;
    }
    const caller = await this.settledCheck(credentials, clientAddress);
    if (!caller) throw unauthenticated('Invalid credentials');
    // Checked again here, in the same synchronous step as the caching: a change that arrived after the settled check answered is not cached over.
    if (this.overtaken(caller, caller.checkedAt)) return caller;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { caller, expires: Date.now() + CACHE_TTL_MS });
    return caller;
  }

  /**
   * Forgets every cached login of the user: their password or tokens changed (the bus says so:
   * core/access/revocation.ts), so the next request checks its credentials again.
   */
  forgetUser(userId: number): void {
    for (const [key, entry] of this.cache) if (entry.caller.user.id === userId) this.cache.delete(key);
    const time = Date.now();
    this.changes.delete(userId); // re-inserted last: the map stays in time order
    this.changes.set(userId, { at: ++this.clock, time });
    for (const [id, change] of this.changes) {
      if (change.time > time - CHANGE_MEMORY_MS) break;
      this.changes.delete(id);
    }
  }

  /**
   * Forgets every cached login, and counts every check begun so far as overtaken by a change: the
   * credential-change announcements may have missed some while the bus reconnected (a gap).
   */
  forgetEveryone(): void {
    this.cache.clear();
    this.lastGapAt = ++this.clock;
  }

  /** Whether a bus gap (forgetEveryone) came after a check that began at `checkedAt`: what it admitted must be checked again. */
  gapSince(checkedAt: number): boolean {
    return this.lastGapAt > checkedAt;
  }

  /**
   * Whether the user's credentials changed after a check that began at `checkedAt`: that check may
   * have read the old password or a signed-out session, so what it admitted must not outlive the
   * change. A connection opened after the change's close-down refuses such a caller
   * (streaming-api/streaming-context.ts).
   */
  changedSince(userId: number, checkedAt: number): boolean {
    const change = this.changes.get(userId);
    return change !== undefined && change.at > checkedAt;
  }

  /**
   * A check no credential change overtook. One that was overtaken may have read the old password
   * or token, so it is neither cached nor trusted: it is done again, now reading the new ones.
   */
  private async settledCheck(credentials: Credentials, clientAddress: string | undefined): Promise<AuthenticatedCaller | null> {
    for (let attempt = 1; ; attempt++) {
      const checkedAt = this.clock;
      const caller = await this.check(credentials, clientAddress, checkedAt);
      if (!caller || !this.overtaken(caller, checkedAt)) return caller;
      if (attempt === 2) throw unauthenticated('Your credentials changed while you logged in: log in again');
    }
  }

  /** A change of the caller's credentials, or a bus gap that may have hidden one, came after `checkedAt`. */
  private overtaken(caller: AuthenticatedCaller, checkedAt: number): boolean {
    return this.changedSince(caller.user.id, checkedAt) || this.gapSince(checkedAt);
  }

  private async check(credentials: Credentials, clientAddress: string | undefined, checkedAt: number): Promise<AuthenticatedCaller | null> {
    if (credentials.kind === 'password') {
      const match = await this.checkPassword(credentials.email, credentials.password, clientAddress);
      return match ? { user: match.user, login: 'password', rateKey: `user:${match.user.id}`, checkedAt, passwordVersion: match.passwordVersion } : null;
    }
    const user = await this.directory.authenticateToken(credentials.token);
    return user ? { user, login: 'token', rateKey: `token:${createHash('sha256').update(credentials.token).digest('hex').slice(0, 16)}`, checkedAt } : null;
  }

  /** A password check, limited by the login guard like every one. */
  private async checkPassword(email: string, password: string, clientAddress: string | undefined): Promise<PasswordMatch | null> {
    const guard = this.options.loginGuard;
    await guard?.assertOpen(email, clientAddress);
    const match = await this.directory.authenticatePassword(email, password);
    if (!match) await guard?.recordFailure(email, clientAddress);
    else await guard?.recordSuccess(email);
    return match;
  }
}
