/** Cookbook tributary: the Tributary services as supervised processes, built from this checkout. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, restarts } from '../_lib';
import { type TributaryAttributes, tributaryAttributes } from './attributes';

/** One `tributary start NAME` process, supervised through its pid file, ready when its port accepts. */
function supervised(r: RecipeContext, a: TributaryAttributes, unit: { resource: string; file: string; start: string; port: number; env: Record<string, string> }): void {
  r.service(unit.resource, {
    // The running node binary, so a service never picks up another `node` from PATH.
    command: [process.execPath, 'bin/tributary.js', 'start', unit.start],
    cwd: a.root,
    env: { ...a.env, ...unit.env, PORT: String(unit.port) },
    pidFile: `${a.runDir}/${unit.file}.pid`,
    logFile: `${a.logDir}/${unit.file}.log`,
    ready: { port: unit.port },
    // Migrations run on start; a cold Postgres can make the first start slow.
    readyTimeoutMs: 60_000,
  });
}

/**
 * The failover managers first (they listen before they join ZooKeeper and publish the master the
 * services wait for; the run list brings Redis and ZooKeeper up before this recipe), then the services.
 */
function services(r: RecipeContext): void {
  const a = attributesOf(r.node, 'tributary', tributaryAttributes);
  const managers = a.failover.managers.map((m) => ({
    resource: `tributary-failover-manager-${m.id}`,
    file: `failover-manager-${m.id}`,
    start: 'failover-manager',
    port: m.port,
    env: { REDIS_NODES: a.failover.redisNodes.join(','), MANAGER_ID: m.id },
  }));
  const apps = a.services.map((s) => ({ resource: `tributary-${s.name}`, file: s.name, start: s.name, port: s.port, env: {} }));
  r.execute('npm run build', {
    command: ['npm', 'run', 'build'],
    cwd: a.root,
    creates: `${a.root}/dist/cli/main.js`,
    timeoutMs: 300_000,
    // A fresh build means new code: restart whatever ran the old one.
    notifies: restarts(...[...managers, ...apps].map((unit) => unit.resource)),
  });
  r.directory(a.runDir, { mode: 0o755 });
  r.directory(a.logDir, { mode: 0o755 });
  for (const unit of [...managers, ...apps]) supervised(r, a, unit);
}

export const cookbook: Cookbook = {
  name: 'tributary',
  version: '1.0.0',
  attributes: tributaryAttributes,
  recipes: { default: services },
};
