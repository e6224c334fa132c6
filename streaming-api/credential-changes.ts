/**
 * A changed password on this node (docs/security.md): every connection of the user that the old
 * password or one of the user's app sessions (all signed out by the change) opened is closed at once,
 * whatever its transport. Connections opened with an API token stay: the token did not change.
 */
import { listenForCredentialChanges } from '../core/access/revocation';
import { endsWithPasswordChange } from '../core/auth/authenticator';
import type { Subscription } from '../core/ports/bus';
import type { StreamingContext } from './streaming-context';

/** Closes the user's password and session connections here; how many it closed. */
export function closeOldLogins(ctx: StreamingContext, userId: number): number {
  let closed = 0;
  for (const connection of [...ctx.connections]) {
    if (connection.user.id !== userId || connection.isClosed || !endsWithPasswordChange(connection.login ?? 'password')) continue;
    connection.close('credentials changed');
    closed++;
  }
  if (closed > 0) ctx.deps.log.info({ user: userId, connections: closed }, 'closed the connections of a changed password');
  return closed;
}

/**
 * Subscribes the node to credential changes; resolves once nothing published afterwards can be
 * missed. The authenticator learns of the change before the close-down runs (whatever order the
 * bus calls its own listener in): a login checked before the change and connecting after the
 * close-down is then refused by openConnection.
 */
export function listenForPasswordChanges(ctx: StreamingContext): Promise<Subscription> {
  return listenForCredentialChanges(ctx.deps.bus, ctx.deps.log, (userId) => {
    ctx.deps.authenticator.forgetUser(userId);
    closeOldLogins(ctx, userId);
  });
}
