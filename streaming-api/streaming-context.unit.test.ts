/**
 * Opening a connection after a password change (credential-changes.ts): its close-down ran before
 * the connection existed, so openConnection itself refuses a password login checked before the
 * change. API-token logins, which a password change does not end, still open. After a bus gap,
 * which may have hidden such a change, password and session connections are checked again
 * (login-recheck.ts).
 */
import { Authenticator } from '../core/auth/authenticator';
import type { User } from '../core/domain/types';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessDirectory } from '../core/in-process/in-process-directory';
import { InProcessMessageStore } from '../core/in-process/in-process-message-store';
import { InProcessPresence } from '../core/in-process/in-process-presence';
import { InProcessWorkQueue } from '../core/in-process/in-process-work-queue';
import { createLog, silentLog } from '../core/log';
import { MessageIngress } from '../core/messaging/message-ingress';
import { createMetrics } from '../core/metrics';
import { PasswordHasher } from '../core/passwords';
import type { Sink } from './connection';
import { recheckLogins } from './login-recheck';
import { resolveStreamingOptions } from './options';
import { StreamingContext } from './streaming-context';
import { basic } from './testing/stream-test-harness';

const contexts: StreamingContext[] = [];
/** A streaming node's context over in-process parts and `directory`. */
function streamingContext(directory: InProcessDirectory, log = silentLog()): StreamingContext {
  const store = new InProcessMessageStore();
  const bus = new InProcessBus();
  const built = new StreamingContext(
    {
      directory, store, bus, authenticator: new Authenticator(directory),
      postDeps: { directory, store, ingress: new MessageIngress({ queue: new InProcessWorkQueue(), bus, shardCount: 1, persistTimeoutMs: 1000 }) },
      presence: new InProcessPresence({ ttlMs: 60_000 }), metrics: createMetrics(), log,
    },
    resolveStreamingOptions(),
  );
  contexts.push(built);
  return built;
}
const directory = new InProcessDirectory(new PasswordHasher({ cost: 1024 }));
const ctx = streamingContext(directory);
const authenticator = ctx.deps.authenticator;
afterAll(() => {
  for (const context of contexts) {
    for (const connection of [...context.connections]) connection.close('server shutting down');
    context.keepAlive.stop();
  }
});

const sink = (): Sink => ({ transport: 'ws', bufferedBytes: () => 0, write: () => {}, keepAlive: () => {}, close: () => {} });

let alice: User;
beforeAll(async () => {
  alice = await directory.createUser({ email: 'alice@example.com', password: 'old-password-1' });
});

test('a password login checked before a change is refused UNAUTHENTICATED; a token login checked before it, and a password login after it, open', async () => {
  const token = await directory.createApiToken(alice.id);
  const byPassword = await authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined);
  const byToken = await authenticator.authenticate(basic(token), undefined);
  authenticator.forgetUser(alice.id); // the credentials-changed message arrived
  expect(() => ctx.openConnection(byPassword, sink())).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  expect(ctx.connections.size).toBe(0);
  expect(ctx.openConnection(byToken, sink()).user.id).toBe(alice.id);
  const again = await authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined); // unchanged in the directory here
  expect(ctx.openConnection(again, sink()).user.id).toBe(alice.id);
  expect(ctx.connections.size).toBe(2);
});

/** Settles the connection's pending check (in-process parts answer within a few turns of the event loop). */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

test('after a bus gap, a password changed or a session ended meanwhile closes its connections; a token, a live session and an unchanged password stay', async () => {
  const bob = await directory.createUser({ email: 'bob@example.com', password: 'bob-password-1' });
  const carol = await directory.createUser({ email: 'carol@example.com', password: 'carol-password-1' });
  const carolVersion = (await directory.authenticatePassword(carol.email, 'carol-password-1'))!.passwordVersion;
  const [live, ended] = [await directory.sessions.createSession(carol.id, 60_000, carolVersion), await directory.sessions.createSession(carol.id, 60_000, carolVersion)];
  const bySession = (secret: string) => ({ user: carol, login: 'session' as const, checkedAt: 0, session: secret });
  const open = {
    bobPassword: ctx.openConnection(await authenticator.authenticate(basic(bob.email, 'bob-password-1'), undefined), sink()),
    bobToken: ctx.openConnection(await authenticator.authenticate(basic(await directory.createApiToken(bob.id)), undefined), sink()),
    carolPassword: ctx.openConnection(await authenticator.authenticate(basic(carol.email, 'carol-password-1'), undefined), sink()),
    carolLive: ctx.openConnection(bySession(live.token), sink()),
    carolEnded: ctx.openConnection(bySession(ended.token), sink()),
  };
  // While the bus reconnected: bob's password changed and carol signed one session out; neither was heard here.
  await directory.setPassword(bob.id, 'bob-password-2');
  await directory.sessions.revokeSession(ended.token);
  expect(await recheckLogins(ctx, Object.values(open))).toBe(2);
  const closed = Object.fromEntries(Object.entries(open).map(([name, c]) => [name, c.isClosed]));
  expect(closed).toEqual({ bobPassword: true, bobToken: false, carolPassword: false, carolLive: false, carolEnded: true });
});

test('a login checked before a bus gap and connecting after it is let in, checked at once, and closed if its password changed meanwhile', async () => {
  const dave = await directory.createUser({ email: 'dave@example.com', password: 'dave-password-1' });
  const erin = await directory.createUser({ email: 'erin@example.com', password: 'erin-password-1' });
  const [daves, erins] = [await authenticator.authenticate(basic(dave.email, 'dave-password-1'), undefined), await authenticator.authenticate(basic(erin.email, 'erin-password-1'), undefined)];
  await directory.setPassword(dave.id, 'dave-password-2'); // announced while the bus reconnected: lost
  authenticator.forgetEveryone(); // the gap, reported
  const [daveConnection, erinConnection] = [ctx.openConnection(daves, sink()), ctx.openConnection(erins, sink())];
  expect(daveConnection.isClosed).toBe(false);
  await settled();
  expect(daveConnection.isClosed).toBe(true);
  expect(erinConnection.isClosed).toBe(false);
});

test('a check after a bus gap the database cannot answer is logged and leaves the connection open, rejecting nothing', async () => {
  // The in-process directory, with its password lookup failing as a database that went away would.
  class Unreachable extends InProcessDirectory {
    override passwordVersionOf(): Promise<number | null> {
      return Promise.reject(new Error('database unreachable'));
    }
  }
  const lines: string[] = [];
  const unreachable = new Unreachable(new PasswordHasher({ cost: 1024 }));
  const node = streamingContext(unreachable, createLog('test', 'info', { write: (line: string) => void lines.push(line) }));
  const frank = await unreachable.createUser({ email: 'frank@example.com', password: 'frank-password-1' });
  const franks = await node.deps.authenticator.authenticate(basic(frank.email, 'frank-password-1'), undefined);
  node.deps.authenticator.forgetEveryone();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const connection = node.openConnection(franks, sink());
    await settled();
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    expect(connection.isClosed).toBe(false);
    expect(lines.join('')).toContain('could not check logins again after a bus gap');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
