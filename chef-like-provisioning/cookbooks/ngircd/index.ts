/** Cookbook ngircd: a local IRC server, run in the foreground under the service provider. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, configuredService, installs } from '../_lib';
import { ngircdAttributes } from './attributes';
import { ngircdConf, ngircdPaths } from './templates';

function server(r: RecipeContext): void {
  r.includeRecipe('ngircd::package');
  const a = attributesOf(r.node, 'ngircd', ngircdAttributes);
  const p = ngircdPaths(a.dataDir);
  r.directory(a.dataDir, { mode: 0o755 });
  // `-n` keeps it in the foreground, so the provider owns the pid file (ngircd's own PidFile
  // would be written after it drops to uid 65534, into a folder it cannot write).
  configuredService(r, 'ngircd', { path: p.conf, source: ngircdConf }, {
    command: ['ngircd', '-n', '-f', p.conf],
    pidFile: p.pidFile,
    logFile: p.logFile,
    ready: { port: a.port },
  });
}

export const cookbook: Cookbook = {
  name: 'ngircd',
  version: '1.0.0',
  attributes: ngircdAttributes,
  recipes: { default: server, package: installs('ngircd') },
};
