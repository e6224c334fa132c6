/**
 * A Redis failover under write load, shared by the guarantee test and `npm run bench:failover`:
 * ZooKeeper, three Redis nodes, the failover managers (or their simulation), Tributary as
 * separate processes following the master through ZOOKEEPER_CONNECT, and a seeded flow.
 */
import { randomBytes } from 'node:crypto';
import { PostgresDirectory } from '../../infra/postgres/directory/postgres-directory';
import { type ManagerProcesses, MasterZnode, startManagers } from './failover-driver';
import { type FailoverServers, freePorts, startFailoverServers } from './failover-servers';
import { createTestDatabase, type TestDatabase } from './postgres';
import { type ServiceProcess, spawnService } from './processes';

/** Everything running for one failover, stopped by `stop()`. */
export interface FailoverScenario {
  servers: FailoverServers;
  znode: MasterZnode;
  managers: ManagerProcesses;
  db: TestDatabase;
  webApi: ServiceProcess;
  /** The first streaming node (of {@link streamingNodes}). */
  streaming: ServiceProcess;
  /** Every streaming node, each its own process. */
  streamingNodes: ServiceProcess[];
  backend: ServiceProcess;
  token: string;
  flowId: string;
  /** `org/flow` as REST paths name it. */
  flowPath: string;
  /** What the processes wrote, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  /** Failover managers to run. Default 3. */
  managers?: number;
  /** Extra environment for the Tributary services. */
  env?: Record<string, string>;
  /** Streaming nodes (separate processes). Default 1. */
  streamingNodes?: number;
}

/** Starts it all; the master is `servers.nodes[0]` and the znode holds its record when this resolves. */
export async function startFailoverScenario(options: ScenarioOptions = {}): Promise<FailoverScenario> {
  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const servers = await startFailoverServers(3);
    cleanup.push(() => servers.stop());
    const znode = await MasterZnode.open(servers.zookeeper);
    cleanup.push(async () => znode.close());
    const managers = await startManagers(servers, znode, options.managers ?? 3);
    cleanup.push(() => managers.stop());
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const directory = new PostgresDirectory(db.pool);
    const org = await directory.createOrganization('Failover');
    const flow = await directory.createFlow(org.id, 'Failover');
    const user = await directory.createUser({ email: 'failover@example.test', password: 'failover-password', nick: 'failover' });
    await directory.addOrganizationMember(org.id, user.id, true);
    await directory.addFlowMember(flow.id, user.id);
    const token = await directory.createApiToken(user.id);
    const env = {
      DATABASE_URL: db.url, ZOOKEEPER_CONNECT: servers.zookeeper, REDIS_PREFIX: `fo:${randomBytes(4).toString('hex')}:`, SHARDS: '4',
      PERSIST_TIMEOUT_MS: '1500', RATE_LIMIT: '1000000', DEMO: 'off', ...options.env,
    };
    const procs: ServiceProcess[] = [];
    cleanup.push(async () => void (await Promise.all(procs.map((p) => p.kill('SIGTERM')))));
    const services = ['message-backend', 'web-api', ...Array<string>(options.streamingNodes ?? 1).fill('streaming-api')];
    const ports = await freePorts(services.length);
    for (const [i, service] of services.entries()) procs.push(await spawnService(service, ports[i]!, env));
    const [backend, webApi, ...streamingNodes] = procs as [ServiceProcess, ServiceProcess, ServiceProcess, ...ServiceProcess[]];
    return {
      servers, znode, managers, db, backend, webApi, streaming: streamingNodes[0]!, streamingNodes, token, flowId: flow.id, flowPath: `${org.parameterizedName}/${flow.parameterizedName}`,
      output: () => [
        ...procs.map((p) => `--- ${p.name} (port ${p.port})\n${p.output()}`), `--- failover managers\n${managers.output()}`,
        ...servers.redis.addresses.map((a) => `--- redis ${a}\n${servers.redis.logTail(a)}`),
      ].join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
