/**
 * Who promotes a replica in failover tests: the real failover managers (separate processes), or,
 * until they are built, a simulation that does what their leader does (REPLICAOF NO ONE on the
 * most advanced replica, repoint the others, write a MasterRecord with epoch + 1).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILOVER_PATHS, type MasterRecord } from '../../core/discovery/failover-state';
import { parseMasterRecord } from '../../core/discovery/master-record';
import { projectRoot } from '../../core/project-root';
import { freePort } from '../../infra/process/service-readiness';
import { ZookeeperSession } from '../../infra/zookeeper/zookeeper-session';
import type { FailoverServers, TestRedisNode as RedisNode } from './failover-servers';

/** Reads and writes the master znode for a test. */
export class MasterZnode {
  private constructor(private readonly session: ZookeeperSession) {}

  static async open(zookeeper: string): Promise<MasterZnode> {
    return new MasterZnode(await ZookeeperSession.connect(zookeeper, { connectTimeoutMs: 10_000 }));
  }

  async read(): Promise<MasterRecord | null> {
    const found = await this.session.getData(FAILOVER_PATHS.master);
    const record = found?.data.length ? parseMasterRecord(found.data) : null;
    return record instanceof Error ? null : record;
  }

  /** Writes (creating the path if needed) the record as the leading manager would; fails rather than hangs. */
  async write(record: MasterRecord): Promise<void> {
    const write = async () => {
      await this.session.mkdirp(FAILOVER_PATHS.master);
      await this.session.setData(FAILOVER_PATHS.master, JSON.stringify(record));
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`writing ${FAILOVER_PATHS.master} took over 5 s`)), 5000);
    });
    await Promise.race([write(), timeout]).finally(() => clearTimeout(timer));
  }

  /** Polls until the znode holds an epoch above `epoch`; returns the record and when it was seen. */
  async waitForEpochAbove(epoch: number, timeoutMs: number): Promise<{ record: MasterRecord; at: number }> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const record = await this.read().catch(() => null);
      if (record && record.epoch > epoch) return { record, at: Date.now() };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no master record with an epoch above ${epoch} within ${timeoutMs} ms`);
  }

  close(): void {
    this.session.close();
  }
}

/** Promotes a replica after the test took the master away. */
export interface FailoverDriver {
  kind: 'managers' | 'simulated';
  /** Called right after the master was killed or stopped. The managers need no help; the simulation acts. */
  masterLost(lost: RedisNode): Promise<void>;
  stop(): Promise<void>;
}

/** `FAILOVER_DRIVER=managers|simulated`; by default the managers once the built CLI knows them. */
export function managersAvailable(): boolean {
  const wanted = process.env.FAILOVER_DRIVER;
  if (wanted) return wanted === 'managers';
  const main = join(projectRoot(), 'dist', 'cli', 'main.js');
  return existsSync(main) && readFileSync(main, 'utf8').includes('failover-manager');
}

/** Starts `count` failover managers over the servers and waits for their first master record. */
export async function startManagers(servers: FailoverServers, znode: MasterZnode, count: number, env: Record<string, string> = {}): Promise<FailoverDriver> {
  const children: ChildProcess[] = [];
  const output: string[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'tributary.js'), 'start', 'failover-manager'], {
      env: {
        ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(await freePort()), MANAGER_ID: `test-manager-${i}`,
        ZOOKEEPER_CONNECT: servers.zookeeper, REDIS_NODES: servers.nodes.map((n) => n.address).join(','), ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    children.push(child);
  }
  const stop = async () => {
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r).kill('SIGTERM')) : null)));
  };
  try {
    await znode.waitForEpochAbove(0, 20_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; managers said:\n${output.join('').slice(-3000)}`);
  }
  return { kind: 'managers', masterLost: async () => {}, stop };
}

/** The replication offset a node reports (master or replica), -1 when it does not answer. */
async function offsetOf(node: RedisNode): Promise<number> {
  const client = node.client();
  client.on('error', () => {});
  try {
    const info = await client.info('replication');
    return Number(/(?:slave_repl_offset|master_repl_offset):(\d+)/.exec(info)?.[1] ?? -1);
  } catch {
    return -1;
  } finally {
    client.disconnect();
  }
}

/**
 * The simulation: publishes the first node as master (epoch 1) now, and on `masterLost` waits
 * `detectionMs` (the managers' 3 failed checks at 250 ms), then promotes like their leader.
 */
export async function startSimulatedManager(servers: FailoverServers, znode: MasterZnode, detectionMs = 750): Promise<FailoverDriver> {
  let current: MasterRecord = {
    master: servers.nodes[0]!.address, replicas: servers.nodes.slice(1).map((n) => n.address), epoch: 1, changedAt: new Date().toISOString(), reason: 'initial (simulated manager)',
  };
  await znode.write(current);
  return {
    kind: 'simulated',
    async masterLost(lost) {
      await new Promise((r) => setTimeout(r, detectionMs));
      const candidates = servers.nodes.filter((n) => n !== lost && current.replicas.includes(n.address));
      const offsets = await Promise.all(candidates.map(offsetOf));
      const best = candidates[offsets.indexOf(Math.max(...offsets))]!;
      const promoted = best.client();
      await promoted.call('REPLICAOF', 'NO', 'ONE');
      promoted.disconnect();
      for (const other of candidates.filter((n) => n !== best)) {
        const c = other.client();
        await c.call('REPLICAOF', '127.0.0.1', String(best.port));
        c.disconnect();
      }
      current = {
        master: best.address, replicas: candidates.filter((n) => n !== best).map((n) => n.address), epoch: current.epoch + 1,
        changedAt: new Date().toISOString(), reason: `${lost.address} down (simulated manager)`,
      };
      await znode.write(current);
    },
    stop: async () => {},
  };
}
