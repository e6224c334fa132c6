/** Cookbook tributary: the Tributary services as supervised processes, built from this checkout. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, restarts } from '../_lib';
import { tributaryAttributes } from './attributes';

function services(r: RecipeContext): void {
  const a = attributesOf(r.node, 'tributary', tributaryAttributes);
  const names = a.services.map((s) => `tributary-${s.name}`);
  r.execute('npm run build', {
    command: ['npm', 'run', 'build'],
    cwd: a.root,
    creates: `${a.root}/dist/cli/main.js`,
    timeoutMs: 300_000,
    // A fresh build means new code: restart whatever ran the old one.
    notifies: restarts(...names),
  });
  r.directory(a.runDir, { mode: 0o755 });
  r.directory(a.logDir, { mode: 0o755 });
  a.services.forEach((s, i) => {
    r.service(names[i]!, {
      // The running node binary, so a service never picks up another `node` from PATH.
      command: [process.execPath, 'bin/tributary.js', 'start', s.name],
      cwd: a.root,
      env: { ...a.env, PORT: String(s.port) },
      pidFile: `${a.runDir}/${s.name}.pid`,
      logFile: `${a.logDir}/${s.name}.log`,
      ready: { port: s.port },
      // Migrations run on start; a cold Postgres can make the first start slow.
      readyTimeoutMs: 60_000,
    });
  });
}

export const cookbook: Cookbook = {
  name: 'tributary',
  version: '1.0.0',
  attributes: tributaryAttributes,
  recipes: { default: services },
};
