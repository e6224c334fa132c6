/** Throwaway TLS certificates for tests, made by openssl: clients trust them as a CA (OUTBOUND_CA_FILE, `ca`), never by turning verification off. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and a self-signed certificate in `dir`, valid for a day, for `subjectAltName` (e.g. `IP:127.0.0.1`, `DNS:irc.test.local`). */
export function selfSigned(dir: string, subjectAltName = 'IP:127.0.0.1'): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const cn = subjectAltName.replace(/^\w+:/, '');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1',
    '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
