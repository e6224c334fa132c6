/**
 * Throwaway ZooKeeper and Redis servers for the failover tests and the failover bench, brought up
 * by the project's own cookbooks (zookeeper, redis) on free ports in a temp dir — so every failover
 * test run also exercises those recipes — and stopped by their pid files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Attributes } from '../../chef-like-provisioning/api';
import { converge, killByPidFiles } from '../../chef-like-provisioning/cookbooks/testing/converge';
import type { RunReport } from '../../chef-like-provisioning/runner';

/** `count` distinct free ports: all held open at once, so that no two of them are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    }
    return servers.map((srv) => (srv.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  }
}

/** Sends a ZooKeeper four-letter word (or any line); resolves with the answer, '' when nothing listens. */
export function fourLetter(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = connect({ host: '127.0.0.1', port }, () => s.end(word));
    s.on('data', (d) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(''));
    s.setTimeout(1000, () => s.destroy()); // a server still starting may accept and never answer
  });
}

const pidOf = (pidFile: string): number => Number(readFileSync(pidFile, 'utf8').trim());

/** A standalone ZooKeeper (tickTime 500, so sessions may be as short as 1 s) that can be killed and started again. */
export interface TestZookeeper {
  port: number;
  connectString: string;
  /** Converges the zookeeper cookbook: starts the server if it is not running. */
  start(): Promise<void>;
  /** SIGKILL: the server vanishes without a goodbye. */
  stop(): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

export async function startZookeeper(options: { port?: number; started?: boolean } = {}): Promise<TestZookeeper> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trib-zk-'));
  const port = options.port ?? (await freePorts(1))[0]!;
  const pidFile = join(dataDir, String(port), 'zookeeper.pid');
  const zk: TestZookeeper = {
    port,
    connectString: `127.0.0.1:${port}`,
    start: async () => void (await converge(['zookeeper'], { zookeeper: { clientPort: port, dataDir, tickTime: 500 } })),
    stop: () => killByPidFiles([pidFile]),
    async remove() {
      await zk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.started !== false) await zk.start();
  return zk;
}

/** One Redis node of a test group. */
export interface TestRedisNode {
  address: string;
  port: number;
  pid(): number;
  /** A fresh connection; the caller closes it. */
  client(): Redis;
}

/** A master (the first node) and its replicas, converged by the redis cookbook. */
export interface TestRedisGroup {
  nodes: TestRedisNode[];
  addresses: string[];
  signal(address: string, signal: NodeJS.Signals): void;
  /**
   * Starts the node again by converging its instance alone, with no replicaof seed, as an operator
   * restarting a crashed node would: with `zookeeper`, the launcher follows the managers' record (ADR 010).
   */
  restart(address: string): Promise<void>;
  /** Converges the group's own attributes again (what a converge of the redis recipe on this node does). */
  converge(): Promise<RunReport>;
  /** The last lines of the node's log, for a failing test's message. */
  logTail(address: string, lines?: number): string;
  stop(): Promise<void>;
}

/**
 * `count` nodes, the first seeded as master. With `zookeeper` (the failover managers' ZooKeeper) the
 * nodes are a failover group: each start follows the managers' master record (ADR 010).
 */
export async function startRedisGroup(count = 3, zookeeper?: string): Promise<TestRedisGroup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trib-redis-'));
  const ports = await freePorts(count);
  const master = `127.0.0.1:${ports[0]}`;
  const pidFile = (port: number) => join(dataDir, String(port), 'redis.pid');
  const nodes: TestRedisNode[] = ports.map((port) => ({
    address: `127.0.0.1:${port}`,
    port,
    pid: () => pidOf(pidFile(port)),
    client: () => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 }),
  }));
  const find = (address: string) => nodes.find((n) => n.address === address)!;
  const instances = ports.map((port, i): Attributes => (i === 0 ? { port } : { port, replicaof: master }));
  const failover: Attributes = zookeeper ? { failover: { zookeeper } } : {};
  const attributes = (list: Attributes[]): Attributes => ({ redis: { dataDir, instances: list, ...failover } });
  await converge(['redis'], attributes(instances));
  return {
    nodes,
    addresses: nodes.map((n) => n.address),
    signal: (address, signal) => process.kill(find(address).pid(), signal),
    restart: async (address) => void (await converge(['redis'], attributes([{ port: find(address).port }]))),
    converge: () => converge(['redis'], attributes(instances)),
    logTail: (address, lines = 40) => {
      try {
        return readFileSync(join(dataDir, String(find(address).port), 'redis.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch (error) {
        return `(no log: ${(error as Error).message})`;
      }
    },
    async stop() {
      for (const node of nodes) {
        try {
          process.kill(node.pid(), 'SIGCONT'); // a stopped node would linger until continued
        } catch {
          // already gone
        }
      }
      await killByPidFiles(ports.map(pidFile));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** ZooKeeper plus a Redis group, for the services' failover tests and the bench. */
export interface FailoverServers {
  zookeeper: string;
  redis: TestRedisGroup;
  nodes: TestRedisNode[];
  /** Kills ZooKeeper, waits `downMs`, starts it again on the same port and data (sessions older than their timeout expire). */
  restartZookeeper(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFailoverServers(count = 3): Promise<FailoverServers> {
  const zk = await startZookeeper();
  let redis: TestRedisGroup;
  try {
    redis = await startRedisGroup(count, zk.connectString);
  } catch (error) {
    await zk.remove();
    throw error;
  }
  return {
    zookeeper: zk.connectString,
    redis,
    nodes: redis.nodes,
    async restartZookeeper(downMs) {
      await zk.stop();
      await new Promise((r) => setTimeout(r, downMs));
      await zk.start();
    },
    async stop() {
      await redis.stop();
      await zk.remove();
    },
  };
}
