/**
 * A promise-based ZooKeeper session over node-zookeeper-client's callback API: connect with a
 * deadline, the handful of znode operations Tributary uses, one-shot watches, session events.
 */
import zookeeper, { type Client, CreateMode, type Event, Exception, State } from 'node-zookeeper-client';

export { CreateMode };

export interface ZookeeperSessionOptions {
  /** ZooKeeper's session timeout: how long the ensemble keeps our ephemeral znodes without us. */
  sessionTimeoutMs?: number;
  /** How long `connect` waits for a first session before it fails (the ensemble may be down). */
  connectTimeoutMs?: number;
}

export interface ZnodeData {
  data: Buffer;
  version: number;
}

type Callback<T> = (error: Error | Exception | null, result: T) => void;

/** True for ZooKeeper's "no node" error (a read of something absent). */
export function isNoNode(error: unknown): boolean {
  return error instanceof Exception && error.getCode() === Exception.NO_NODE;
}

/** True for a conditional write that lost to another writer (version mismatch) or a create that found the node. */
export function isConflict(error: unknown): boolean {
  return error instanceof Exception && (error.getCode() === Exception.BAD_VERSION || error.getCode() === Exception.NODE_EXISTS);
}

export class ZookeeperSession {
  private readonly stateListeners: ((state: State) => void)[] = [];
  private disconnectedTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly client: Client,
    readonly connectString: string,
    private readonly sessionTimeoutMs: number,
  ) {
    client.on('state', (state) => this.clientOnState(state));
  }

  /**
   * A client that stays disconnected longer than the session timeout cannot tell whether its
   * session still stands, and node-zookeeper-client has been seen to stay stuck after a server
   * restart. Past 1.5 × the timeout we give the session up and report EXPIRED, so that its owner
   * opens a fresh one, as it does for a real expiry.
   */
  private clientOnState(state: State): void {
    if (state.name === 'DISCONNECTED' && !this.disconnectedTimer && !this.closed) {
      this.disconnectedTimer = setTimeout(() => {
        this.disconnectedTimer = null;
        this.close();
        for (const listener of this.stateListeners) listener(State.EXPIRED);
      }, Math.round(this.sessionTimeoutMs * 1.5));
      this.disconnectedTimer.unref();
    } else if (state.name !== 'DISCONNECTED' && this.disconnectedTimer) {
      clearTimeout(this.disconnectedTimer);
      this.disconnectedTimer = null;
    }
    if (!this.closed) for (const listener of this.stateListeners) listener(state);
  }

  /** Resolves once connected; rejects with a clear message after `connectTimeoutMs`. */
  static connect(connectString: string, options: ZookeeperSessionOptions = {}): Promise<ZookeeperSession> {
    const timeout = options.connectTimeoutMs ?? 3000;
    const sessionTimeoutMs = options.sessionTimeoutMs ?? 4000;
    const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: 200, retries: 0 });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`cannot reach ZooKeeper at ${connectString} within ${timeout} ms`));
      }, timeout);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve(new ZookeeperSession(client, connectString, sessionTimeoutMs));
      });
      client.connect();
    });
  }

  private call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((error, result) => (error ? reject(error) : resolve(result))));
  }

  /** Creates the path and its missing parents (persistent, empty). */
  async mkdirp(path: string): Promise<void> {
    await this.call<string>((cb) => this.client.mkdirp(path, cb));
  }

  /** Creates a znode; returns its actual path (sequential nodes get a suffix). */
  create(path: string, data: Buffer | string, mode: number = CreateMode.PERSISTENT): Promise<string> {
    return this.call<string>((cb) => this.client.create(path, Buffer.from(data), mode, cb));
  }

  /** The znode's data and version, or null when it does not exist. A watcher fires once on change or deletion. */
  async getData(path: string, watcher?: (event: Event) => void): Promise<ZnodeData | null> {
    try {
      return await new Promise<ZnodeData>((resolve, reject) => {
        const done = (error: Error | Exception | null, data: Buffer, stat: { version: number }) =>
          error ? reject(error) : resolve({ data: data ?? Buffer.alloc(0), version: stat.version });
        if (watcher) this.client.getData(path, watcher, done);
        else this.client.getData(path, done);
      });
    } catch (error) {
      if (isNoNode(error)) return null;
      throw error;
    }
  }

  /** Writes data; with `version`, only if the znode is still at that version (compare-and-set). */
  async setData(path: string, data: Buffer | string, version = -1): Promise<number> {
    const stat = await this.call<{ version: number }>((cb) => this.client.setData(path, Buffer.from(data), version, cb));
    return stat.version;
  }

  /** True when the znode exists. A watcher fires once on creation, change or deletion. */
  async exists(path: string, watcher?: (event: Event) => void): Promise<boolean> {
    const stat = await new Promise<unknown>((resolve, reject) => {
      const done = (error: Error | Exception | null, s: unknown) => (error ? reject(error) : resolve(s));
      if (watcher) this.client.exists(path, watcher, done);
      else this.client.exists(path, done);
    });
    return !!stat;
  }

  /** Child names (not paths); [] when the parent does not exist. A watcher fires once when they change. */
  async getChildren(path: string, watcher?: (event: Event) => void): Promise<string[]> {
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const done = (error: Error | Exception | null, children: string[]) => (error ? reject(error) : resolve(children));
        if (watcher) this.client.getChildren(path, watcher, done);
        else this.client.getChildren(path, done);
      });
    } catch (error) {
      if (isNoNode(error)) return [];
      throw error;
    }
  }

  /** Removes a znode (no-op when absent). */
  async remove(path: string, version = -1): Promise<void> {
    try {
      await this.call<void>((cb) => this.client.remove(path, version, (error) => cb(error, undefined)));
    } catch (error) {
      if (!isNoNode(error)) throw error;
    }
  }

  /** Session state changes: SYNC_CONNECTED, DISCONNECTED, EXPIRED… (node-zookeeper-client's State). */
  onState(listener: (state: State) => void): void {
    this.stateListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
    this.disconnectedTimer = null;
    this.client.close();
  }
}
