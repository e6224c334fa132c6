/** The zookeeper cookbook converged for real: standalone on 12191, and a three-server ensemble with one leader. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '../api';
import { connect } from 'node:net';
import { changedIds, converge, killByPidFiles } from './testing/converge';

const dir = mkdtempSync(join(tmpdir(), 'cookbook-zookeeper-'));
const node: Attributes = {
  zookeeper: { dataDir: dir, clientPort: 12191, heapMb: 64, ensemble: { basePort: 12281, peerBasePort: 12988, electionBasePort: 13988 } },
};
const ensemblePorts = [12281, 12282, 12283];

afterAll(async () => {
  await killByPidFiles([12191, ...ensemblePorts].map((p) => join(dir, String(p), 'zookeeper.pid')));
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

/** A 4lw answer: the server writes it and closes, so read until the end. */
function ask(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(word));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', (e) => resolve(e.message));
  });
}

test('standalone: installed, started, answers ruok; a second run changes nothing', async () => {
  await converge(['zookeeper'], node);
  expect(await ask(12191, 'ruok')).toBe('imok');
  expect(await ask(12191, 'srvr')).toContain('Mode: standalone');
  expect(changedIds(await converge(['zookeeper'], node))).toEqual([]);
}, 120_000);

test('ensemble: three servers on one machine, one leader and two followers', async () => {
  await converge(['zookeeper::ensemble'], node);
  const modes: string[] = [];
  for (let i = 0; i < 40; i++) {
    modes.length = 0;
    for (const p of ensemblePorts) modes.push(/Mode: (\w+)/.exec(await ask(p, 'srvr'))?.[1] ?? 'none');
    if (modes.filter((m) => m === 'leader').length === 1 && modes.filter((m) => m === 'follower').length === 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const p of ensemblePorts) expect(await ask(p, 'ruok')).toBe('imok');
  expect(modes.sort()).toEqual(['follower', 'follower', 'leader']);
}, 60_000);
