/** ngircd.conf as a function of the node's attributes. */
import type { Attributes } from '../../api';
import { attributesOf } from '../_lib';
import { ngircdAttributes } from './attributes';

export function ngircdPaths(dataDir: string) {
  return { conf: `${dataDir}/ngircd.conf`, pidFile: `${dataDir}/ngircd.pid`, logFile: `${dataDir}/ngircd.log` };
}

export function ngircdConf(node: Attributes): string {
  const a = attributesOf(node, 'ngircd', ngircdAttributes);
  return `# Written by the provisioning tool (cookbook ngircd); edits here are overwritten.
[Global]
Name = ${a.name}
Info = Tributary test IRC server
Listen = 127.0.0.1
Ports = ${a.port}
ServerUID = 65534
ServerGID = 65534

[Limits]
# Tests connect many clients from 127.0.0.1.
MaxConnectionsIP = 0

[Options]
# No lookups: nothing answers them on these machines, and each would delay a login.
PAM = no
Ident = no
DNS = no
`;
}
