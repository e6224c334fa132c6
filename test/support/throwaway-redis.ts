/** A redis-server of a test's own on a free port (no persistence), to stop, freeze and start again without touching the shared one. */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../infra/process/service-readiness';

export interface ThrowawayRedis {
  port: number;
  url: string;
  /** SIGSTOP freezes it (connections stay open, nothing answers); SIGCONT thaws it; SIGKILL ends it. */
  signal(signal: NodeJS.Signals): void;
  /** Kills it (if running) and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Resolves true once the server answers PING with PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

function launch(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function untilUp(port: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${child.exitCode}`);
    if (await pong(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on ${port} did not answer PING`);
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGCONT'); // a frozen server would not die of SIGKILL until continued
    child.kill('SIGKILL');
  });
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child = launch(port);
  await untilUp(port, child);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    signal: (signal) => void child.kill(signal),
    async restart() {
      await killed(child);
      child = launch(port);
      await untilUp(port, child);
    },
    stop: () => killed(child),
  };
}
