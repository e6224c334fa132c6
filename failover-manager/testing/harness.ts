/** Test helpers: in-process managers on the test servers, captured logs, waiting with a bound. */
import pino from 'pino';
import type { MasterRecord } from '../../core/discovery/failover-state';
import { ZookeeperSession } from '../../infra/zookeeper/zookeeper-session';
import { type FailoverState, readFailoverState } from '../failover-znodes';
import { createFailoverManager, type FailoverManager, type ManagerSettings } from '../manager';
import { withTimeout } from '../node-checker';
import { startRedisGroup, startZookeeper, type TestRedisGroup, type TestZookeeper } from '../../test/support/failover-servers';

/** Polls until `probe` returns a truthy value; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, ms = 10_000, every = 25): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      // A probe that hangs (a stopped node, a stuck session) must not outlive the wait.
      const value = await withTimeout(Promise.resolve(probe()), Math.max(1, Math.min(2000, until - Date.now())), `probe for ${what}`);
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** A manager plus the log lines it wrote. */
export interface TestManager extends FailoverManager {
  logs: string[];
}

/** Starts a manager in-process with short, test-friendly timings (override any setting). */
export function startManager(connectString: string, nodes: string[], id: string, overrides: Partial<ManagerSettings> = {}): TestManager {
  const logs: string[] = [];
  const log = pino({ level: 'info', base: { managerId: id } }, { write: (line: string) => void logs.push(line) });
  const manager = createFailoverManager({
    ZOOKEEPER_CONNECT: connectString, REDIS_NODES: nodes, CHECK_INTERVAL_MS: 250, DOWN_AFTER_CHECKS: 3, CHECK_TIMEOUT_MS: 200,
    ZK_SESSION_TIMEOUT_MS: 2000, MANAGER_ID: id, SWITCHOVER_TIMEOUT_MS: 3000, ...overrides,
  }, log);
  manager.start();
  return Object.assign(manager, { logs });
}

/** A plain ZooKeeper session for the test's own reads. */
export function observer(connectString: string): Promise<ZookeeperSession> {
  return ZookeeperSession.connect(connectString, { sessionTimeoutMs: 4000, connectTimeoutMs: 5000 });
}

export async function readState(session: ZookeeperSession): Promise<FailoverState> {
  return readFailoverState(session);
}

/** Waits until the record says `predicate`; returns it. */
export function waitForRecord(session: ZookeeperSession, what: string, predicate: (r: MasterRecord) => boolean, ms = 10_000): Promise<MasterRecord> {
  return waitFor(what, async () => {
    const record = (await readFailoverState(session)).record?.value;
    return record && predicate(record) ? record : null;
  }, ms, 10);
}

/** Every sentence the managers logged, for assertions and for a failing test's message. */
export function sentences(...managers: TestManager[]): string[] {
  return managers.flatMap((m) => m.logs.map((l) => `${JSON.parse(l).managerId}: ${JSON.parse(l).msg}`));
}

/** ZooKeeper, a Redis group and `managers` in-process managers, with one place that stops them all. */
export interface Scenario {
  zk: TestZookeeper;
  redis: TestRedisGroup;
  managers: TestManager[];
  zkSession: ZookeeperSession;
  /** The master's address at the start, then its replicas (lowest address first). */
  master: string;
  replicas: string[];
  stop(): Promise<void>;
}

export async function startScenario(managers = 2, overrides: Partial<ManagerSettings> = {}): Promise<Scenario> {
  const zk = await startZookeeper();
  const redis = await startRedisGroup(3, zk.connectString);
  const list = Array.from({ length: managers }, (_, i) => startManager(zk.connectString, redis.addresses, `m${i + 1}`, overrides));
  const zkSession = await observer(zk.connectString);
  return {
    zk, redis, managers: list, zkSession, master: redis.addresses[0]!, replicas: redis.addresses.slice(1).sort(),
    async stop() {
      await Promise.all(list.map((m) => m.stop()));
      zkSession.close();
      await redis.stop();
      await zk.stop();
    },
  };
}
