/**
 * A whole Tributary in this process, on real Postgres (a fresh database) and real Redis (a unique
 * prefix), listening on an ephemeral port; plus a seeded organization, flow and users.
 */
import { type Config, loadConfig } from '../../core/config';
import { silentLog } from '../../core/log';
import { PostgresDirectory } from '../../infra/postgres/directory/postgres-directory';
import { type RunningServices, type ServiceName, startServices } from '../../cli/start';
import { createTestDatabase, type TestDatabase } from './postgres';
import { TEST_REDIS_URL, testPrefix } from './redis';

export interface SeededUser {
  id: number;
  email: string;
  password: string;
  nick: string;
  token: string;
  /** `Authorization` header value with the API token. */
  auth: string;
}

export interface TestStack {
  url: string;
  db: TestDatabase;
  config: Config;
  running: RunningServices;
  directory: PostgresDirectory;
  org: { id: number; name: string };
  flow: { id: string; path: string };
  alice: SeededUser;
  bob: SeededUser;
  /** In the organization but not in the flow. */
  carol: SeededUser;
  stop(): Promise<void>;
}

export function basic(user: string, password = ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A user with a password and an API token (not yet in any organization). */
export async function seedUser(directory: PostgresDirectory, nick: string): Promise<SeededUser> {
  const email = `${nick}@example.test`;
  const password = `${nick}-password`;
  const user = await directory.createUser({ email, password, name: nick[0]!.toUpperCase() + nick.slice(1), nick });
  const token = await directory.createApiToken(user.id);
  return { id: user.id, email, password, nick, token, auth: basic(token) };
}

export async function startTestStack(options: { service?: ServiceName; env?: Record<string, string> } = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: testPrefix(),
    SHARDS: '4', PERSIST_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent', DEMO: 'off', ...options.env,
  });
  const directory = new PostgresDirectory(db.pool);
  const org = await directory.createOrganization('Acme');
  const flowRecord = await directory.createFlow(org.id, 'Main');
  const alice = await seedUser(directory, 'alice');
  const bob = await seedUser(directory, 'bob');
  const carol = await seedUser(directory, 'carol');
  for (const u of [alice, bob, carol]) await directory.addOrganizationMember(org.id, u.id, u === alice);
  for (const u of [alice, bob]) await directory.addFlowMember(flowRecord.id, u.id);
  const running = await startServices(options.service ?? 'all', config, silentLog());
  return {
    url: `http://127.0.0.1:${running.port}`,
    db, config, running, directory,
    org: { id: org.id, name: org.parameterizedName },
    flow: { id: flowRecord.id, path: `${org.parameterizedName}/${flowRecord.parameterizedName}` },
    alice, bob, carol,
    async stop() {
      await running.stop();
      await db.drop();
    },
  };
}

/** fetch with JSON in and out; returns status, headers and parsed body. */
export async function api(stack: TestStack, method: string, path: string, options: { auth?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(options.auth ? { authorization: options.auth } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the test looks at the text.
  }
  // biome-ignore lint/suspicious/noExplicitAny: a test helper; assertions index into arbitrary response JSON
  return { status: res.status, headers: res.headers, body: body as any };
}
