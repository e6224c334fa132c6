/** Cookbook zookeeper: a standalone server, or an ensemble of several servers on one machine. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, installs, restarts, tcpExchange } from '../_lib';
import { zookeeperAttributes } from './attributes';
import { ensembleMembers, type Member, memberPaths, zooCfg } from './templates';

/** Debian's jar pulls in the others through its manifest; without slf4j-simple it logs nothing. */
const CLASSPATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';

/** Data folder, myid (ensemble), zoo.cfg and a supervised JVM for one server. */
function member(r: RecipeContext, m: Member): void {
  const a = attributesOf(r.node, 'zookeeper', zookeeperAttributes);
  const p = memberPaths(a.dataDir, m.clientPort);
  const service = `zookeeper-${m.clientPort}`;
  r.directory(p.data, { mode: 0o750 });
  if (m.id) r.file(`${p.data}/myid`, { content: `${m.id}\n`, notifies: restarts(service) });
  r.template(p.conf, { source: zooCfg, variables: { ...m }, notifies: restarts(service) });
  r.service(service, {
    command: ['java', `-Xmx${a.heapMb}m`, '-Xms32m', '-XX:+UseSerialGC', '-cp', CLASSPATH, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', p.conf],
    pidFile: p.pidFile,
    logFile: p.logFile,
    // A standalone server is ready when it serves (`srvr` answers with its version, not "not currently
    // serving"); an ensemble member cannot serve before a quorum exists, so `imok` (alive) suffices.
    ready: { command: m.id ? tcpExchange(m.clientPort, 'ruok', 'imok') : tcpExchange(m.clientPort, 'srvr', 'Zookeeper version:') },
  });
}

function standalone(r: RecipeContext): void {
  r.includeRecipe('zookeeper::package');
  member(r, { clientPort: attributesOf(r.node, 'zookeeper', zookeeperAttributes).clientPort });
}

function ensemble(r: RecipeContext): void {
  r.includeRecipe('zookeeper::package');
  for (const m of ensembleMembers(attributesOf(r.node, 'zookeeper', zookeeperAttributes))) member(r, m);
}

export const cookbook: Cookbook = {
  name: 'zookeeper',
  version: '1.0.0',
  attributes: zookeeperAttributes,
  recipes: { default: standalone, ensemble, package: installs('zookeeper') },
};
