/**
 * Opening a connection after a password change (credential-changes.ts): its close-down ran before
 * the connection existed, so openConnection itself refuses a password login checked before the
 * change. API-token logins, which a password change does not end, still open.
 */
import { Authenticator } from '../core/auth/authenticator';
import type { User } from '../core/domain/types';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessDirectory } from '../core/in-process/in-process-directory';
import { InProcessMessageStore } from '../core/in-process/in-process-message-store';
import { InProcessPresence } from '../core/in-process/in-process-presence';
import { InProcessWorkQueue } from '../core/in-process/in-process-work-queue';
import { silentLog } from '../core/log';
import { MessageIngress } from '../core/messaging/message-ingress';
import { createMetrics } from '../core/metrics';
import { PasswordHasher } from '../core/passwords';
import type { Sink } from './connection';
import { resolveStreamingOptions } from './options';
import { StreamingContext } from './streaming-context';

const directory = new InProcessDirectory(new PasswordHasher({ cost: 1024 }));
const store = new InProcessMessageStore();
const bus = new InProcessBus();
const authenticator = new Authenticator(directory);
const ctx = new StreamingContext(
  {
    directory, store, bus, authenticator,
    postDeps: { directory, store, ingress: new MessageIngress({ queue: new InProcessWorkQueue(), bus, shardCount: 1, persistTimeoutMs: 1000 }) },
    presence: new InProcessPresence({ ttlMs: 60_000 }), metrics: createMetrics(), log: silentLog(),
  },
  resolveStreamingOptions(),
);
afterAll(() => {
  for (const connection of [...ctx.connections]) connection.close('server shutting down');
  ctx.keepAlive.stop();
});

const sink = (): Sink => ({ transport: 'ws', bufferedBytes: () => 0, write: () => {}, keepAlive: () => {}, close: () => {} });
const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

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
