/** `tributary start failover-manager` as a process: a taken port ends the start before anything else, and every metric is there at 0 from the start. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';
import { freePort, spawnService } from '../test/support/processes';

jest.setTimeout(30_000);

const bin = join(projectRoot(), 'bin', 'tributary.js');
let nodes: string[];

beforeAll(async () => {
  // Closed ports: nodes no manager can see up, whatever else runs on this machine.
  nodes = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
});

/** Settings for a manager whose ZooKeeper and Redis nodes are closed ports: these tests are about the start, not the election. */
async function settings(port: number): Promise<Record<string, string>> {
  return { ZOOKEEPER_CONNECT: `127.0.0.1:${await freePort()}`, REDIS_NODES: nodes.join(','), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' };
}

test('a taken port: exit 1 with one sentence naming PORT, and the manager never started its loop', async () => {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  try {
    const child = spawn(process.execPath, [bin, 'start', 'failover-manager'], { env: { ...process.env, ...(await settings(port)) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 1, stderr: `tributary: port ${port} is already in use; set PORT to a free port\n` });
    // No loop sentence ("not acting: …", "following leader …") and no "listening": it never joined.
    expect(stdout).not.toMatch(/failover-loop|failover manager listening|registered as a manager/);
  } finally {
    holder.close();
  }
});

test('/metrics at start: failovers by kind, the master per node, leadership and the ZooKeeper session at 0, and each node’s up gauge', async () => {
  const port = await freePort();
  const manager = await spawnService('failover-manager', port, await settings(port));
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const series = [
      'tributary_failovers_total{kind="automatic"} 0',
      'tributary_failovers_total{kind="manual"} 0',
      ...nodes.map((node) => `tributary_redis_master{node="${node}"} 0`),
      'tributary_failover_is_leader 0',
      'tributary_failover_epoch 0',
      'tributary_failover_zookeeper_connected 0',
    ];
    expect(series.filter((line) => !text.split('\n').includes(line))).toEqual([]);
    // Each node's up gauge is there too (a node counts as up until DOWN_AFTER_CHECKS checks failed).
    for (const node of nodes) expect(text).toMatch(new RegExp(`^tributary_redis_node_up\\{node="${node}"\\} [01]$`, 'm'));
  } finally {
    await manager.kill('SIGTERM');
  }
});
