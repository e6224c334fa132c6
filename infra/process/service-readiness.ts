/** Helpers for running services as child processes (tests, benchmarks): a free port, and waiting for /health. */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once GET /health answers 200; fails with the child's output if it exits or the time runs out. */
export async function waitForHealth(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
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
