/** Cookbook dovecot: an IMAP server with test mailboxes, run in the foreground under the service provider. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, configuredService, installs } from '../_lib';
import { dovecotAttributes } from './attributes';
import { dovecotConf, dovecotPaths, usersFile } from './templates';

function server(r: RecipeContext): void {
  r.includeRecipe('dovecot::package');
  const a = attributesOf(r.node, 'dovecot', dovecotAttributes);
  const p = dovecotPaths(a.dataDir);
  r.directory(a.dataDir, { mode: 0o755 });
  r.directory(p.run, { mode: 0o755 });
  r.directory(p.state, { mode: 0o750 });
  // Mail is stored as the static userdb's uid/gid (nobody).
  r.directory(p.mail, { mode: 0o750, owner: 'nobody', group: 'nogroup' });
  // passwd-file is re-read on change, so new users need no restart.
  r.template(p.users, { source: usersFile, mode: 0o640, group: 'dovecot', sensitive: true }); // passwords: never shown in a diff
  configuredService(r, 'dovecot', { path: p.conf, source: dovecotConf }, {
    command: ['dovecot', '-F', '-c', p.conf],
    pidFile: p.pidFile,
    logFile: p.logFile,
    ready: { port: a.port },
  });
}

export const cookbook: Cookbook = {
  name: 'dovecot',
  version: '1.0.0',
  attributes: dovecotAttributes,
  recipes: { default: server, package: installs('dovecot-imapd') },
};
