/** redis.conf for one instance, as a function of the node's attributes: static settings only, never the node's role. */
import type { Attributes } from '../../api';
import { attributesOf } from '../_lib';
import { redisAttributes } from './attributes';

/** Where an instance keeps its files: one folder per port. */
export function instancePaths(dataDir: string, port: number) {
  const dir = `${dataDir}/${port}`;
  return { dir, conf: `${dir}/redis.conf`, pidFile: `${dir}/redis.pid`, logFile: `${dir}/redis.log` };
}

/** Template source: `variables.port` picks the instance. */
export function redisConf(node: Attributes, variables: Record<string, unknown>): string {
  const a = attributesOf(node, 'redis', redisAttributes);
  const instance = a.instances.find((i) => i.port === variables.port);
  if (!instance) throw new Error(`redis: no instance on port ${String(variables.port)} in the attributes`);
  const p = instancePaths(a.dataDir, instance.port);
  const lines = [
    '# Written by the provisioning tool (cookbook redis); edits here are overwritten.',
    `bind ${a.bind}`,
    `port ${instance.port}`,
    `dir ${p.dir}`,
    'daemonize yes',
    `pidfile ${p.pidFile}`,
    `logfile ${p.logFile}`,
    // A cache and queue for tests and single nodes: no snapshots, no AOF.
    'save ""',
    'appendonly no',
    // Without this, replicas wait 5 s before their first sync.
    'repl-diskless-sync-delay 0',
  ];
  if (instance.maxmemory) lines.push(`maxmemory ${instance.maxmemory}`);
  // No replicaof: the role is not configuration (ADR 010). The launcher passes it at start, from the
  // failover managers' record, so re-rendering this file can never turn a promoted master back into a replica.
  return `${lines.join('\n')}\n`;
}
