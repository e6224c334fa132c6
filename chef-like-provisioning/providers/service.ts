/** service: a daemon with a pid file and a readiness check, started and stopped without systemd. */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { Change, Provider, ProviderContext, ServiceProps } from '../api';
import { asUser, runChecked } from './command';
import { writeAtomically } from './file-content';
import { describeReadiness, describeWait, isAlive, isReady, logTail, readPid, reportedWait, serviceState, waitUntil } from './process-state';
import { argvSchema, envSchema, notifiesSchema } from './schema';
import { fingerprintDifferences, fingerprintOf, forgetFingerprint, readFingerprint, recordFingerprint } from './service-fingerprint';

const signalSchema = z.custom<NodeJS.Signals>((value) => typeof value === 'string' && /^SIG[A-Z0-9]+$/.test(value), 'expected a signal name like SIGTERM');

/** Props of `service`; the name only identifies it. */
export const serviceSchema = z.strictObject({
  action: z.enum(['start', 'stop', 'restart', 'reload', 'nothing']).optional(),
  command: argvSchema,
  pidFile: z.string().min(1),
  daemonizes: z.boolean().optional(),
  user: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  env: envSchema,
  logFile: z.string().min(1).optional(),
  ready: z.union([
    z.strictObject({ port: z.number().int().min(1).max(65535), host: z.string().min(1).optional() }),
    z.strictObject({ command: argvSchema }),
  ]),
  readyTimeoutMs: z.number().int().positive().optional(),
  stopSignal: signalSchema.optional(),
  reloadSignal: signalSchema.optional(),
  notifies: notifiesSchema,
});

const STOP_GRACE_MS = 10_000;

/** Starts the daemon, then waits for its pid and readiness; a failure quotes the log's last lines. */
async function start(props: ServiceProps, context: ProviderContext): Promise<void> {
  const timeoutMs = props.readyTimeoutMs ?? 20_000;
  await rm(props.pidFile, { force: true }); // a stale one would make us wait on a dead pid
  await forgetFingerprint(props.pidFile);
  // Something else already answering on our port would pass the readiness check for us.
  if ('port' in props.ready && (await isReady(props.ready))) {
    throw new Error(portTaken(props));
  }
  const [file, ...args] = asUser(props.command, props.user);
  const env = { ...process.env, ...props.env };
  if (props.daemonizes) {
    await runChecked(props.command, { user: props.user, cwd: props.cwd, env: props.env, timeoutMs });
  } else {
    const log = openSync(props.logFile ?? '/dev/null', 'a');
    try {
      // detached: its own session, so it outlives this run and our terminal's signals.
      const child = spawn(file ?? '', args, { detached: true, stdio: ['ignore', log, log], cwd: props.cwd, env });
      await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      child.unref();
      await writeAtomically(props.pidFile, `${child.pid}\n`, {});
    } finally {
      closeSync(log);
    }
  }
  // Recorded before the wait: a process that is slow to get ready still runs with these.
  await recordFingerprint(props);
  let pid: number | null = null;
  const ready = await reportedWait(context, describeWait(props.ready), () =>
    waitUntil(async () => {
      pid = await readPid(props.pidFile);
      if (pid !== null && !isAlive(pid)) throw await startFailure(props, `exited during start (pid ${pid})`);
      return pid !== null && (await isReady(props.ready));
    }, timeoutMs),
  );
  if (!ready) {
    throw await startFailure(props, pid === null ? `wrote no pid file ${props.pidFile} within ${timeoutMs} ms` : `not ready (${describeReadiness(props.ready)}) within ${timeoutMs} ms`);
  }
}

async function startFailure(props: ServiceProps, what: string): Promise<Error> {
  const tail = await logTail(props.logFile);
  return new Error(`\`${props.command.join(' ')}\` ${what}${tail ? `; last lines of ${props.logFile}:\n${tail}` : ''}`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // already gone is what we want
  }
}

/** Signals the process, waits for it to die (SIGKILL after 10 s), removes the pid file. */
async function stop(props: ServiceProps, pid: number, context: ProviderContext): Promise<void> {
  const stopSignal = props.stopSignal ?? 'SIGTERM';
  signal(pid, stopSignal);
  if (!(await reportedWait(context, `to exit after ${stopSignal} (pid ${pid})`, () => waitUntil(() => !isAlive(pid), STOP_GRACE_MS)))) {
    signal(pid, 'SIGKILL');
    if (!(await waitUntil(() => !isAlive(pid), 5000))) throw new Error(`pid ${pid} survived SIGKILL`);
  }
  await rm(props.pidFile, { force: true });
  await forgetFingerprint(props.pidFile);
}

/** The start change, unless something else answers on the service's port: then the start would fail, so the plan (why-run too) fails now. */
async function portFree(props: ServiceProps, startChange: Change): Promise<Change> {
  if ('port' in props.ready && (await isReady(props.ready))) throw new Error(portTaken(props));
  return startChange;
}

function portTaken(props: ServiceProps): string {
  const port = 'port' in props.ready ? props.ready.port : '?';
  return `port ${port} is already in use by a process this resource did not start (no live pid in ${props.pidFile})`;
}

/** Tests pid file, process and readiness; starts, stops, restarts or signals for a reload. */
export const serviceProvider: Provider<'service'> = {
  actions: ['start', 'stop', 'restart', 'reload', 'nothing'],
  schema: serviceSchema,
  plan: async (resource, action, context): Promise<Change[]> => {
    const { props } = resource;
    const id = `service[${resource.name}]`;
    if (action === 'nothing') return [];
    const { pid, alive, ready } = await serviceState(props.pidFile, props.ready);
    const stale = pid !== null && !alive ? ` (stale pid file: pid ${pid} is gone)` : '';
    const startChange: Change = { description: `start ${id}${stale}`, starts: true, apply: () => start(props, context) };
    const live = alive ? pid : null;
    if (live === null) {
      if (action !== 'stop') return [await portFree(props, startChange)];
      return stale ? [{ description: `remove stale pid file ${props.pidFile} of ${id}`, apply: () => rm(props.pidFile, { force: true }) }] : [];
    }
    const waitChange: Change = {
      description: `wait for ${id} (pid ${live}) to be ready`,
      apply: async () => {
        if (!(await reportedWait(context, describeWait(props.ready), () => waitUntil(() => isReady(props.ready), props.readyTimeoutMs ?? 20_000)))) throw await startFailure(props, `(pid ${live}) not ready (${describeReadiness(props.ready)})`);
      },
    };
    const restartChange = (why = ''): Change => ({
      description: `restart ${id} (pid ${live})${why}`,
      starts: true,
      apply: async () => {
        await stop(props, live, context);
        await start(props, context);
      },
    });
    switch (action) {
      case 'start': {
        // A process started with another command, env, cwd or user runs the old settings: restart it (ADR 011).
        const recorded = await readFingerprint(props.pidFile);
        if (recorded === null) {
          // Started before fingerprints were kept (or by hand): adopted as it is, not restarted (a Redis master would start empty).
          const adopt: Change = { description: `record what ${id} (pid ${live}) runs with (no record of its start)`, apply: () => recordFingerprint(props) };
          return ready ? [adopt] : [adopt, waitChange];
        }
        const drift = fingerprintDifferences(recorded, fingerprintOf(props));
        if (drift.length > 0) return [restartChange(`: ${drift.join(', ')} changed since it started`)];
        return ready ? [] : [waitChange];
      }
      case 'stop':
        return [{ description: `stop ${id} (pid ${live})`, apply: () => stop(props, live, context) }];
      case 'restart':
        return [restartChange()];
      default: {
        const sig = props.reloadSignal ?? 'SIGHUP';
        return ready ? [{ description: `reload ${id} (${sig} to pid ${live})`, apply: async () => signal(live, sig) }] : [waitChange];
      }
    }
  },
};
