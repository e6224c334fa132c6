/** Structured JSON logs (pino): one logger per service, child loggers per component. */
import pino, { type Logger } from 'pino';

export type Log = Logger;

/** `fd` 2 sends the lines to stderr: what a command whose stdout is its result (`--json`) needs. */
export function createLog(service: string, level = process.env.LOG_LEVEL ?? 'info', fd: 1 | 2 = 1): Log {
  const options = { level, base: { service, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  return fd === 1 ? pino(options) : pino(options, pino.destination({ fd, sync: true }));
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLog(): Log {
  return pino({ level: 'silent' });
}
