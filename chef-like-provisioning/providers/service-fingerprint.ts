/**
 * What a supervised process was started with (its command, environment, cwd and user), recorded
 * beside its pid file, so that a converge notices a changed `tributary.env.LOG_LEVEL` or
 * `zookeeper.heapMb` and restarts that service (ADR 011). Only hashes are kept: environment
 * values may be secrets (a DATABASE_URL with a password).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { ServiceProps } from '../api';
import { writeAtomically } from './file-content';

/** Hashes of what a process was started with; env by variable, so a change can name the variables. */
export interface Fingerprint {
  command: string;
  cwd: string;
  user: string;
  env: Record<string, string>;
}

type StartedWith = Pick<ServiceProps, 'command' | 'cwd' | 'user' | 'env' | 'pidFile'>;

/** `/var/lib/tributary/run/web-api.pid.fingerprint`. */
export function fingerprintFile(pidFile: string): string {
  return `${pidFile}.fingerprint`;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);

/** The fingerprint of what these props start. */
export function fingerprintOf(props: StartedWith): Fingerprint {
  const env = Object.entries(props.env ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    command: digest(props.command),
    cwd: digest(props.cwd ?? ''),
    user: digest(props.user ?? ''),
    env: Object.fromEntries(env.map(([name, value]) => [name, digest([name, value])])),
  };
}

/** What differs, for the change's description ("env LOG_LEVEL", "command"); [] when nothing does. */
export function fingerprintDifferences(recorded: Fingerprint, wanted: Fingerprint): string[] {
  const parts = (['command', 'cwd', 'user'] as const).filter((part) => recorded[part] !== wanted[part]);
  const names = [...new Set([...Object.keys(recorded.env), ...Object.keys(wanted.env)])].sort();
  const changed = names.filter((name) => recorded.env[name] !== wanted.env[name]);
  return [...parts, ...(changed.length > 0 ? [`env ${changed.join(', ')}`] : [])];
}

function isFingerprint(value: unknown): value is Fingerprint {
  const f = value as Partial<Fingerprint> | null;
  return typeof f === 'object' && f !== null && typeof f.command === 'string' && typeof f.cwd === 'string' && typeof f.user === 'string' && typeof f.env === 'object' && f.env !== null;
}

/** The recorded fingerprint, or null when there is none (started before fingerprints were kept, or by hand). */
export async function readFingerprint(pidFile: string): Promise<Fingerprint | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(fingerprintFile(pidFile), 'utf8'));
    return isFingerprint(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Records what the process now starting runs with (readable by root only). */
export function recordFingerprint(props: StartedWith): Promise<void> {
  return writeAtomically(fingerprintFile(props.pidFile), `${JSON.stringify(fingerprintOf(props))}\n`, { mode: 0o600 });
}

/** Forgets it (the process stopped, or is about to be started afresh). */
export function forgetFingerprint(pidFile: string): Promise<void> {
  return rm(fingerprintFile(pidFile), { force: true });
}
