/**
 * The credential-change relay of a server without Redis (embedded mode) on a real Postgres: a NOTIFY
 * becomes an announcement on the server's bus; when its connection is killed it reconnects, reports
 * the gap (a NOTIFY sent meanwhile is lost), and relays the next change.
 */
import { InProcessBus } from '../../core/in-process/in-process-bus';
import { silentLog } from '../../core/log';
import { credentialsChangedChannel } from '../../core/messaging/channels';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { notifyCredentialsChanged, relayCredentialChanges } from './postgres-credential-changes';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await db.drop();
});

/** Resolves with `list[from]` once something has been pushed there. */
function next<T>(list: T[], from: number, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (list.length > from) return resolve(list[from]!);
      if (Date.now() > until) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

test('relays a change, survives its connection being killed by reporting a gap, and relays the next change', async () => {
  const bus = new InProcessBus();
  const announced: string[] = [];
  await bus.subscribe(credentialsChangedChannel, (payload) => void announced.push(payload.toString()));
  const gaps: number[] = [];
  bus.onGap(() => void gaps.push(Date.now()));
  const relay = await relayCredentialChanges(db.url, bus, silentLog(), () => bus.reportGap());
  try {
    await notifyCredentialsChanged(db.pool, 7);
    expect(JSON.parse(await next(announced, 0, 'the first change'))).toMatchObject({ userId: 7 });
    const { rowCount } = await db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tributary-credential-changes' AND datname = current_database()");
    expect(rowCount).toBe(1);
    await next(gaps, 0, 'the gap after the reconnect');
    await notifyCredentialsChanged(db.pool, 8);
    expect(JSON.parse(await next(announced, 1, 'the change after the reconnect'))).toMatchObject({ userId: 8 });
  } finally {
    await relay.close();
    await bus.close();
  }
});
