/** Failover tests' view of the failover: the master znode, and the real failover managers run as separate processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { FAILOVER_PATHS, type MasterRecord } from '../../core/discovery/failover-state';
import { parseMasterRecord } from '../../core/discovery/master-record';
import { projectRoot } from '../../core/project-root';
import { type FailoverState, readFailoverState } from '../../failover-manager/failover-znodes';
import { freePort } from '../../infra/process/service-readiness';
import { ZookeeperSession } from '../../infra/zookeeper/zookeeper-session';
import type { FailoverServers } from './failover-servers';

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

  /** Everything the managers keep in ZooKeeper: the record, their views of the nodes, the leader. */
  state(): Promise<FailoverState> {
    return readFailoverState(this.session);
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

/** The failover managers a scenario runs, as child processes. */
export interface ManagerProcesses {
  /** How many run. */
  count: number;
  /** What they wrote (the last 5000 characters), for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `count` failover managers over the servers and waits for their first master record. */
export async function startManagers(servers: FailoverServers, znode: MasterZnode, count: number, env: Record<string, string> = {}): Promise<ManagerProcesses> {
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
  return { count, output: () => output.join('').slice(-5000), stop };
}
