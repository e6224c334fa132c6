/**
 * A changed password stops working in every process at once (docs/security.md): two web-api
 * processes' worth of services on one Postgres and one real Redis, each caching successful logins;
 * `tributary user set-password` (the built CLI, its own process) announces the change on the bus.
 */
import { type RunningServices, startServices } from '../cli/start';
import { silentLog } from '../core/log';
import { tributaryOn } from '../test/support/cli';
import { TEST_REDIS_URL } from '../test/support/redis';
import { basic, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
let other: RunningServices;
let otherUrl: string;
beforeAll(async () => {
  s = await startTestStack({ service: 'web-api' });
  // A second web-api on the same database and bus, with a cache of its own.
  other = await startServices('web-api', s.config, silentLog());
  otherUrl = `http://127.0.0.1:${other.port}`;
}, 60_000);
afterAll(async () => {
  await other?.stop();
  await s?.stop();
});

const flowsOn = async (url: string, auth: string) => (await fetch(`${url}/flows`, { headers: { authorization: auth } })).status;

it('a password changed through the CLI fails at once on every web-api, cached or not; the new one works', async () => {
  const old = basic(s.alice.email, s.alice.password);
  // Both processes have the old password's login cached (for 60 s, were nobody to tell them).
  for (const url of [s.url, otherUrl]) expect(await flowsOn(url, old)).toBe(200);

  const r = tributaryOn(s.db.url, ['user', 'set-password', s.alice.email, '--password', 'a new long password', '--json'], { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: s.config.REDIS_PREFIX });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toMatchObject({ id: s.alice.id, password: 'changed' });

  for (const url of [otherUrl, s.url]) {
    expect(await flowsOn(url, old)).toBe(401);
    expect(await flowsOn(url, basic(s.alice.email, 'a new long password'))).toBe(200);
  }
  // Her API token did not change: checked again, it still works.
  expect(await flowsOn(otherUrl, s.alice.auth)).toBe(200);
}, 60_000);
