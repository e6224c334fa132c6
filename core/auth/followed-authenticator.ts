/**
 * A service's Authenticator that forgets a user's cached logins as soon as any process announces on
 * the bus that the user's password or tokens changed (core/access/revocation.ts), so an old
 * password stops working everywhere at once (docs/security.md).
 */
import { listenForCredentialChanges } from '../access/revocation';
import type { Log } from '../log';
import type { Bus } from '../ports/bus';
import type { Directory } from '../ports/directory';
import { Authenticator } from './authenticator';
import type { LoginGuard } from './login-guard';

export async function startAuthenticator(
  deps: { directory: Directory; bus: Bus; loginGuard: LoginGuard; log: Log },
  publicUrl: string | undefined,
): Promise<{ authenticator: Authenticator; stop(): Promise<void> }> {
  const authenticator = new Authenticator(deps.directory, { loginGuard: deps.loginGuard, publicUrl });
  // Before serving anybody: no change announced afterwards is missed.
  const subscription = await listenForCredentialChanges(deps.bus, deps.log, (userId) => authenticator.forgetUser(userId));
  // Announcements lost while the bus reconnected: any user's may have been among them.
  deps.bus.onGap(() => authenticator.forgetEveryone());
  return { authenticator, stop: () => subscription.unsubscribe() };
}
