/**
 * Authenticator: credentials → user, with a short-lived cache of successful checks so that a
 * chatty client does not pay for scrypt on every request. Failures are never cached.
 */
import { createHash } from 'node:crypto';
import type { User } from '../domain/types';
import { unauthenticated } from '../errors';
import type { Directory } from '../ports/directory';
import { type Credentials, readCredentials } from './credentials';
import type { LoginGuard } from './login-guard';

export interface AuthenticatedCaller {
  user: User;
  /** Key for rate limiting: the token, or the user for password logins. */
  rateKey: string;
}

const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: AuthenticatedCaller; expires: number }>();

  /** Without a `loginGuard` failed password logins are not limited (unit tests only). */
  constructor(
    private readonly directory: Directory,
    private readonly options: { loginGuard?: LoginGuard } = {},
  ) {}

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
    const caller = await this.check(credentials, clientAddress);
    if (!caller) throw unauthenticated('Invalid credentials');
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { caller, expires: Date.now() + CACHE_TTL_MS });
    return caller;
  }

  private async check(credentials: Credentials, clientAddress: string | undefined): Promise<AuthenticatedCaller | null> {
    if (credentials.kind === 'password') {
      const guard = this.options.loginGuard;
      await guard?.assertOpen(credentials.email, clientAddress);
      const user = await this.directory.authenticatePassword(credentials.email, credentials.password);
      if (!user) await guard?.recordFailure(credentials.email, clientAddress);
      else await guard?.recordSuccess(credentials.email);
      return user ? { user, rateKey: `user:${user.id}` } : null;
    }
    const user = await this.directory.authenticateToken(credentials.token);
    return user ? { user, rateKey: `token:${createHash('sha256').update(credentials.token).digest('hex').slice(0, 16)}` } : null;
  }
}
