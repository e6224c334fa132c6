/** Runs Tributary services as separate processes from the built CLI (dist/), as they run in production. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';
import { freePort, waitForHealth } from '../../infra/process/service-readiness';

export interface ServiceProcess {
  name: string;
  port: number;
  child: ChildProcess;
  /** The end of what the process wrote, for a failing test's message. */
  output(): string;
  /** Everything the process wrote to stdout and stderr so far. */
  allOutput(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}


/** `readyMs`: how long it may take to answer /health (longer where a test starts several at once on a busy machine). */
export async function spawnService(service: string, port: number, env: Record<string, string>, readyMs = 15_000): Promise<ServiceProcess> {
  const bin = join(projectRoot(), 'bin', 'tributary.js');
  const child = spawn(process.execPath, [bin, 'start', service], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const output = () => out.slice(-5000);
  // A service that never became healthy must not outlive the test that started it.
  await waitForHealth(port, child, output, readyMs).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    name: service,
    port,
    child,
    output,
    allOutput: () => out,
    kill(signal) {
      // A process ended by a signal has no exit code, only a signalCode: it will not exit again.
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export { freePort };
