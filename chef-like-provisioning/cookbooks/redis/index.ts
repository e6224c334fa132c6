/** Cookbook redis: any number of Redis instances (a master and its replicas, or a failover group), or the machine's own Redis. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, bash, checkoutRoot, installs, outputContains, restarts, tributaryCommand } from '../_lib';
import { redisAttributes } from './attributes';
import { instancePaths, redisConf } from './templates';

/**
 * One directory, config file and service per instance; a changed config restarts only its instance.
 * The service is `tributary redis launch` (ADR 010): the role comes from the failover managers' record
 * (the `replicaof` attributes only seed a group without one), and no old snapshot is ever loaded.
 */
function instances(r: RecipeContext): void {
  r.includeRecipe('redis::package');
  const a = attributesOf(r.node, 'redis', redisAttributes);
  const host = a.host ?? a.bind.split(/\s+/)[0]!;
  const root = checkoutRoot();
  for (const instance of a.instances) {
    const p = instancePaths(a.dataDir, instance.port);
    const service = `redis-${instance.port}`;
    r.directory(p.dir, { mode: 0o750 });
    r.template(p.conf, {
      source: redisConf,
      variables: { port: instance.port },
      mode: 0o640,
      notifies: restarts(service),
    });
    r.service(service, {
      command: tributaryCommand(
        root, 'redis', 'launch', '--config', p.conf, '--address', `${host}:${instance.port}`,
        ...(instance.replicaof ? ['--seed-replicaof', instance.replicaof] : []),
        ...(a.failover ? ['--zookeeper', a.failover.zookeeper] : []),
      ),
      daemonizes: true,
      pidFile: p.pidFile,
      // Ready means it answers, whatever its role: a replica's link is the failover managers' business,
      // and a node started fenced (it was the recorded master) has none until they repoint it.
      ready: { command: outputContains(`redis-cli -h ${host} -p ${instance.port} ping`, 'PONG') },
    });
  }
}

/**
 * Adopts the machine's own Redis (ADR 004): started only when nothing answers on its port, the way
 * the CI machines start it, so an already running one (without our pid file) is left alone.
 */
function system(r: RecipeContext): void {
  r.includeRecipe('redis::package');
  const s = attributesOf(r.node, 'redis', redisAttributes).system;
  const logDir = s.logFile.replace(/\/[^/]*$/, '');
  // A daemonized redis-server returns before it listens, hence the wait for PONG.
  r.execute(`start system redis on ${s.port}`, {
    command: bash(
      `mkdir -p ${s.dir} ${logDir} && redis-server --daemonize yes --bind 127.0.0.1 --port ${s.port} ` +
        `--save "" --appendonly no --dir ${s.dir} --logfile ${s.logFile} && ` +
        `for i in $(seq 100); do redis-cli -p ${s.port} ping >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1`,
    ),
    notIf: ['redis-cli', '-p', String(s.port), 'ping'],
  });
}

export const cookbook: Cookbook = {
  name: 'redis',
  version: '1.0.0',
  attributes: redisAttributes,
  recipes: { default: instances, package: installs('redis-server'), system },
};
