/** Structured JSON logs (pino): one logger per service, child loggers per component. */
import pino, { type Logger } from 'pino';

export type Log = Logger;

export function createLog(service: string, level = process.env.LOG_LEVEL ?? 'info'): Log {
  return pino({ level, base: { service, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLog(): Log {
  return pino({ level: 'silent' });
}
