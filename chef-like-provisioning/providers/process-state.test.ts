/** isAlive against real processes: a multi-threaded server is alive until its last thread has exited and let go of its port. */
import { spawn } from 'node:child_process';
import { freePort } from '../test-kit';
import { isAlive, portAccepts, waitUntil } from './process-state';

test('once isAlive says a killed node server is dead, its port no longer accepts (10 kills)', async () => {
  const stillAccepting: number[] = [];
  for (let i = 0; i < 10; i++) {
    const port = await freePort();
    const server = `require('net').createServer((s) => s.end()).listen(${port}, '127.0.0.1')`;
    const child = spawn(process.execPath, ['-e', server], { detached: true, stdio: 'ignore' });
    child.unref();
    expect(await waitUntil(() => portAccepts(port), 5000)).toBe(true);
    process.kill(child.pid!, 'SIGTERM');
    expect(await waitUntil(() => !isAlive(child.pid!), 5000)).toBe(true);
    // Node's main thread turns zombie while its other threads still hold the listening socket.
    if (await portAccepts(port)) stillAccepting.push(port);
  }
  expect(stillAccepting).toEqual([]);
}, 60_000);

test('a process that does not exist is not alive', () => {
  expect(isAlive(2 ** 22 + 1)).toBe(false);
});
