/** zoo.cfg for one server, standalone or ensemble member, as a function of the node's attributes. */
import type { Attributes } from '../../api';
import { attributesOf } from '../_lib';
import { type ZookeeperAttributes, zookeeperAttributes } from './attributes';

/** One server of this node: its client port and, in an ensemble, its id (1…size). */
export interface Member {
  clientPort: number;
  id?: number;
}

export function memberPaths(dataDir: string, clientPort: number) {
  const dir = `${dataDir}/${clientPort}`;
  return { dir, data: `${dir}/data`, conf: `${dir}/zoo.cfg`, pidFile: `${dir}/zookeeper.pid`, logFile: `${dir}/zookeeper.log` };
}

/** The members zookeeper::ensemble runs. */
export function ensembleMembers(a: ZookeeperAttributes): Required<Member>[] {
  return Array.from({ length: a.ensemble.size }, (_, i) => ({ id: i + 1, clientPort: a.ensemble.basePort + i }));
}

/** Template source: `variables` is the Member. */
export function zooCfg(node: Attributes, variables: Record<string, unknown>): string {
  const a = attributesOf(node, 'zookeeper', zookeeperAttributes);
  const member = variables as unknown as Member;
  const lines = [
    '# Written by the provisioning tool (cookbook zookeeper); edits here are overwritten.',
    `tickTime=${member.id ? a.ensemble.tickTime : a.tickTime}`,
    `dataDir=${memberPaths(a.dataDir, member.clientPort).data}`,
    'clientPortAddress=127.0.0.1',
    `clientPort=${member.clientPort}`,
    // Otherwise an embedded Jetty admin server listens on :8080.
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,mntr',
  ];
  if (member.id) {
    lines.push('initLimit=10', 'syncLimit=5');
    const e = a.ensemble;
    for (let i = 0; i < e.size; i++) lines.push(`server.${i + 1}=127.0.0.1:${e.peerBasePort + i}:${e.electionBasePort + i}`);
  }
  return `${lines.join('\n')}\n`;
}
