/** Runs Tributary services as separate processes from the built CLI (dist/), as they run in production. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';

export interface ServiceProcess {
  name: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

async function waitForHealth(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`service on port ${port} did not become healthy:\n${output()}`);
}

export async function spawnService(service: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
  const bin = join(projectRoot(), 'bin', 'tributary.js');
  const child = spawn(process.execPath, [bin, 'start', service], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const output = () => out.slice(-5000);
  await waitForHealth(port, child, output, 15_000);
  return {
    name: service,
    port,
    child,
    output,
    kill(signal) {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

/** A free port chosen by the OS. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
