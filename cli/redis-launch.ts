/**
 * `tributary redis launch`: how the redis cookbook starts a Redis node (ADR 010). The failover
 * managers' master record in ZooKeeper decides whether it starts as a replica and of whom (the
 * attributes only seed a group that has no record yet), and the node never loads a snapshot left
 * on disk: its data comes from its master or it starts empty, so it never serves or feeds stale data.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FAILOVER_PATHS, type MasterRecord } from '../core/discovery/failover-state';
import { parseAddress, parseMasterRecord } from '../core/discovery/master-record';
import { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { launchRole } from '../failover-manager/launch-role';
import { CliFailure } from './cli-failure';

const ZOOKEEPER_WAIT_MS = 5000;

/** The launch options, as given on the command line. */
export interface LaunchOptions {
  config: string;
  address: string;
  seedReplicaof?: string;
  zookeeper?: string;
}

/** `host:port`, or a usage error (exit 2) naming the option. */
function checkAddress(option: string, value: string): string {
  try {
    parseAddress(value);
    return value;
  } catch (error) {
    throw new CliFailure(`${option}: ${(error as Error).message}`, 2);
  }
}

/** The snapshot file redis-server would load at start: `dir` + `dbfilename` of its config. */
function snapshotPath(configFile: string): string {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    throw new CliFailure(`cannot read the Redis config ${configFile}: ${(error as Error).message}; converge the redis recipe to write it`, 2);
  }
  const setting = (name: string) => text.match(new RegExp(`^\\s*${name}\\s+"?([^"\\n]+?)"?\\s*$`, 'm'))?.[1];
  const dir = setting('dir');
  if (!dir || !isAbsolute(dir)) throw new CliFailure(`${configFile} has no absolute \`dir\`; the launcher must know where a snapshot would be loaded from`, 2);
  return join(dir, setting('dbfilename') ?? 'dump.rdb');
}

/** The managers' record, or null when there is none yet; a ZooKeeper that cannot be read stops the launch. */
async function readRecord(connect: string): Promise<MasterRecord | null> {
  let session: ZookeeperSession;
  try {
    session = await ZookeeperSession.connect(connect, { connectTimeoutMs: ZOOKEEPER_WAIT_MS });
  } catch (error) {
    throw new CliFailure(
      `cannot read the master record: ${(error as Error).message}; start ZooKeeper first (a Redis node of a failover group never starts without knowing the current master)`,
    );
  }
  try {
    const found = await session.getData(FAILOVER_PATHS.master);
    if (!found || found.data.length === 0) return null;
    const record = parseMasterRecord(found.data);
    if (record instanceof Error) throw new CliFailure(`the master record at ${FAILOVER_PATHS.master} is unusable (${record.message}); see the failover runbook`);
    return record;
  } finally {
    session.close();
  }
}

/** Decides the role, removes any snapshot, starts redis-server (which daemonizes) and exits with its status. */
export async function launchRedis(options: LaunchOptions): Promise<void> {
  const self = checkAddress('--address', options.address);
  const seed = options.seedReplicaof === undefined ? null : checkAddress('--seed-replicaof', options.seedReplicaof);
  const snapshot = snapshotPath(options.config);
  const record = options.zookeeper ? await readRecord(options.zookeeper) : null;
  const role = launchRole(self, seed, record);
  // A snapshot here is old: `save ""` writes none, so it is what a replica sync left behind, maybe long
  // ago. Loaded by a master it would be served and full-synced to every replica; a replica gets its
  // data from its master anyway.
  rmSync(snapshot, { force: true });
  process.stdout.write(`redis ${self}: ${role.why}\n`);
  const replicaof = role.replicaof ? parseAddress(role.replicaof) : null;
  const args = [options.config, ...(replicaof ? ['--replicaof', replicaof.host, String(replicaof.port)] : [])];
  const run = spawnSync('redis-server', args, { stdio: 'inherit' });
  if (run.error) throw new CliFailure(`cannot run redis-server: ${run.error.message}; install the redis-server package (recipe redis::package)`);
  if (run.status !== 0) throw new CliFailure(`redis-server ${args.join(' ')} exited with ${run.status ?? run.signal}`);
}

