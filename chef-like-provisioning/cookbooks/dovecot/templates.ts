/** dovecot.conf and its passwd-file, as functions of the node's attributes. */
import type { Attributes } from '../../api';
import { attributesOf } from '../_lib';
import { dovecotAttributes } from './attributes';

export function dovecotPaths(dataDir: string) {
  return {
    conf: `${dataDir}/dovecot.conf`,
    users: `${dataDir}/users`,
    mail: `${dataDir}/mail`,
    run: `${dataDir}/run`,
    state: `${dataDir}/state`,
    pidFile: `${dataDir}/dovecot.pid`,
    logFile: `${dataDir}/dovecot.log`,
  };
}

/** A self-contained config (no conf.d): plaintext IMAP on 127.0.0.1 for tests, nothing else. */
export function dovecotConf(node: Attributes): string {
  const a = attributesOf(node, 'dovecot', dovecotAttributes);
  const p = dovecotPaths(a.dataDir);
  return `# Written by the provisioning tool (cookbook dovecot); edits here are overwritten.
base_dir = ${p.run}
state_dir = ${p.state}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${p.logFile}
mail_location = maildir:${p.mail}/%u/Maildir

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${a.port}
  }
  inet_listener imaps {
    port = 0
  }
}

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${p.users}
}

userdb {
  driver = static
  args = uid=65534 gid=65534 home=${p.mail}/%u
}

namespace inbox {
  inbox = yes
}
`;
}

/** `name:{PLAIN}password` lines: test mailboxes only, hence plain passwords. */
export function usersFile(node: Attributes): string {
  return attributesOf(node, 'dovecot', dovecotAttributes)
    .users.map((u) => `${u.name}:{PLAIN}${u.password}\n`)
    .join('');
}
