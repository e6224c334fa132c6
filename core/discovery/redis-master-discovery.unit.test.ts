/** RedisMasterDiscovery against an in-memory ZooKeeper: epochs only grow, watches re-arm, a lost session keeps the master. */
import { silentLog } from '../log';
import type { MasterRecord } from './failover-state';
import { FAILOVER_PATHS } from './failover-state';
import { type DiscoverySession, RedisMasterDiscovery } from './redis-master-discovery';

/** One znode and its one-shot watches, shared by every fake session, as a server would be. */
class FakeZookeeper {
  data: Buffer | null = null;
  watches: ((event: unknown) => void)[] = [];
  sessions: FakeSession[] = [];
  reachable = true;

  set(record: Partial<MasterRecord> | string): void {
    this.data = Buffer.from(typeof record === 'string' ? record : JSON.stringify(record));
    const fire = this.watches;
    this.watches = [];
    for (const w of fire) w({ name: 'NODE_DATA_CHANGED' });
  }

  async connect(): Promise<DiscoverySession> {
    if (!this.reachable) throw new Error('connection refused');
    const session = new FakeSession(this);
    this.sessions.push(session);
    return session;
  }
}

class FakeSession implements DiscoverySession {
  closed = false;
  private stateListeners: ((state: { name: string }) => void)[] = [];
  constructor(private readonly zk: FakeZookeeper) {}
  async getData(path: string, watcher?: (event: unknown) => void) {
    expect(path).toBe(FAILOVER_PATHS.master);
    // As in ZooKeeper: no data watch is left on an absent node.
    if (!this.zk.data) return null;
    if (watcher) this.zk.watches.push(watcher);
    return { data: this.zk.data };
  }
  async exists(_path: string, watcher?: (event: unknown) => void) {
    if (watcher) this.zk.watches.push(watcher);
    return this.zk.data !== null;
  }
  onState(listener: (state: { name: string }) => void) {
    this.stateListeners.push(listener);
  }
  emit(name: string) {
    for (const l of this.stateListeners) l({ name });
  }
  close() {
    this.closed = true;
  }
}

const record = (master: string, epoch: number): Partial<MasterRecord> => ({ master, epoch, replicas: [], changedAt: new Date().toISOString(), reason: 'test' });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('RedisMasterDiscovery', () => {
  let zk: FakeZookeeper;
  let discovery: RedisMasterDiscovery;
  beforeEach(() => {
    zk = new FakeZookeeper();
    discovery = new RedisMasterDiscovery({ connect: () => zk.connect(), log: silentLog(), retryDelayMs: 5 });
  });
  afterEach(() => discovery.close());

  it('waits for a znode that does not exist yet, then follows every newer epoch', async () => {
    const changes: [string, string | null][] = [];
    discovery.onChange((r, prev) => changes.push([r.master, prev?.master ?? null]));
    const first = discovery.waitForMaster(1000);
    await tick();
    expect(discovery.current()).toBeNull();
    zk.set(record('127.0.0.1:7001', 1));
    expect((await first).master).toBe('127.0.0.1:7001');
    zk.set(record('127.0.0.1:7002', 2));
    await tick();
    zk.set(record('127.0.0.1:7003', 3));
    await tick();
    expect(changes).toEqual([['127.0.0.1:7001', null], ['127.0.0.1:7002', '127.0.0.1:7001'], ['127.0.0.1:7003', '127.0.0.1:7002']]);
  });

  it('never goes back: equal or lower epochs are ignored, and so are unreadable records', async () => {
    zk.set(record('127.0.0.1:7002', 5));
    await discovery.waitForMaster(1000);
    for (const stale of [record('127.0.0.1:7001', 4), record('127.0.0.1:7001', 5), 'not json', { master: 'nohost', epoch: 9 }]) {
      zk.set(stale);
      await tick();
      expect(discovery.current()).toMatchObject({ master: '127.0.0.1:7002', epoch: 5 });
    }
    zk.set(record('127.0.0.1:7003', 6));
    await tick();
    expect(discovery.current()?.master).toBe('127.0.0.1:7003');
  });

  it('keeps the last master when the session expires, and re-reads on a new session', async () => {
    zk.set(record('127.0.0.1:7001', 1));
    await discovery.waitForMaster(1000);
    zk.reachable = false;
    zk.sessions[0]!.emit('EXPIRED');
    expect(zk.sessions[0]!.closed).toBe(true);
    await tick();
    expect(discovery.current()?.master).toBe('127.0.0.1:7001');
    zk.watches = []; // the expired session's watches are gone with it
    zk.data = Buffer.from(JSON.stringify(record('127.0.0.1:7002', 2)));
    zk.reachable = true;
    const until = Date.now() + 1000;
    while (discovery.current()?.epoch !== 2 && Date.now() < until) await tick();
    expect(discovery.current()?.master).toBe('127.0.0.1:7002');
    expect(zk.sessions).toHaveLength(2);
  });

  it('says whether its ZooKeeper session is connected (for /ready), through a disconnect and an expiry', async () => {
    expect(discovery.isConnected).toBe(false);
    zk.set(record('127.0.0.1:7001', 1));
    await discovery.waitForMaster(1000);
    expect(discovery.isConnected).toBe(true);
    zk.sessions[0]!.emit('DISCONNECTED');
    expect(discovery.isConnected).toBe(false);
    zk.sessions[0]!.emit('SYNC_CONNECTED');
    expect(discovery.isConnected).toBe(true);
    zk.reachable = false;
    zk.sessions[0]!.emit('EXPIRED');
    expect(discovery.isConnected).toBe(false);
    zk.reachable = true;
    const until = Date.now() + 1000;
    while (!discovery.isConnected && Date.now() < until) await tick();
    expect(discovery.isConnected).toBe(true);
    expect(discovery.current()?.master).toBe('127.0.0.1:7001');
  });

  it('times out with a message that names the path', async () => {
    await expect(discovery.waitForMaster(50)).rejects.toThrow(FAILOVER_PATHS.master);
  });
});
