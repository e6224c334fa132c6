/** The one way Tributary opens an IMAP connection (imapflow): polls (imap-runner.ts) and the IDLE watch (imap-idle.ts). */
import { ImapFlow } from 'imapflow';
import type { ImapConfig } from '../../core/integrations/imap-config';
import type { CheckedAddress } from '../outbound/source-outbound';

/** A client of the address the guard checked, named `host` for TLS (trusting OUTBOUND_CA_FILE's CAs too); `idle` for the watch (imap-idle.ts), none for polls. */
export function imapClient(config: ImapConfig, target: CheckedAddress, timeoutMs: number, idle?: { maxIdleTime: number }): ImapFlow {
  return new ImapFlow({
    host: target.address,
    ...(target.ca ? { tls: { ca: target.ca } } : {}),
    servername: config.host,
    port: config.port ?? (config.secure === false ? 143 : 993),
    secure: config.secure ?? true,
    auth: { user: config.user, pass: config.password },
    logger: false,
    // imapflow's auto-IDLE starts only after autoIdleDelay of quiet (15 s by default): the watch wants it at once.
    ...(idle ? { autoIdleDelay: 200, maxIdleTime: idle.maxIdleTime } : { disableAutoIdle: true }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // A poll's connection is busy or done; the watch's is quiet for minutes between IDLE restarts (imapflow's default, 5 min, is above maxIdleTime).
    ...(idle ? {} : { socketTimeout: timeoutMs * 6 }),
  });
}

