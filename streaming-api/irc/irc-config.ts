/** The IRC gateway's settings from the configuration: IRC_PORT, and TLS when IRC_TLS_PORT names a port and a certificate is given. */
import { readFileSync } from 'node:fs';
import type { Config } from '../../core/config';
import type { IrcListenOptions } from './irc-gateway';

/**
 * Where and how to listen (the caller adds the resume points it built); null when IRC_PORT is unset.
 * Throws, naming the variable and the fix, for TLS without its certificate or key.
 */
export function ircListenOptions(config: Config): Omit<IrcListenOptions, 'resumePoints'> | null {
  if (config.IRC_PORT === undefined) {
    if (config.IRC_TLS_PORT !== undefined) throw new Error('IRC_TLS_PORT is set but IRC_PORT is not: set IRC_PORT too (the gateway needs its plain port)');
    return null;
  }
  const base = { host: config.HOST, port: config.IRC_PORT };
  if (config.IRC_TLS_PORT === undefined) return base;
  const { IRC_TLS_CERT: certPath, IRC_TLS_KEY: keyPath } = config;
  if (!certPath || !keyPath) throw new Error('IRC_TLS_PORT needs IRC_TLS_CERT and IRC_TLS_KEY (paths of PEM files): set both, or unset IRC_TLS_PORT');
  const read = (name: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${name}: cannot read ${path} (${(error as Error).message})`);
    }
  };
  return { ...base, tls: { port: config.IRC_TLS_PORT, cert: read('IRC_TLS_CERT', certPath), key: read('IRC_TLS_KEY', keyPath) } };
}
