/** Structured JSON logs (pino): one logger per service, child loggers per component; credentials are redacted. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type Log = Logger;

/**
 * Fields that may hold a credential wherever they appear in a log object (one and two levels
 * down: `{ headers: { authorization } }`, `{ req: { headers: { authorization } } }`). URLs are
 * cleaned by `sanitizeUrl` where they are logged; pino cannot look inside a string.
 */
const SECRET_KEYS = ['authorization', 'cookie', 'password', 'access_token', 'token', 'passwordHash', 'password_hash'];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * `destination` defaults to stdout; `'stderr'` is for a command whose stdout is its result
 * (`--json`); tests pass a stream to read what was logged.
 */
export function createLog(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream | 'stderr'): Log {
  const options = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
  };
  if (destination === 'stderr') return pino(options, pino.destination({ fd: 2, sync: true }));
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLog(): Log {
  return pino({ level: 'silent' });
}
