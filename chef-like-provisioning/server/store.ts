/** The cookbook store: a few promise-returning ZooKeeper operations and the store's znode layout. */
import { ZookeeperSession } from '../../infra/zookeeper/zookeeper-session';

/** Root of everything the provisioning tool keeps in ZooKeeper. */
export const STORE_ROOT = '/tributary/provisioning';
export const cookbookPath = (name: string, version?: string) => `${STORE_ROOT}/cookbooks/${name}${version ? `/${version}` : ''}`;
export const rolePath = (name: string) => `${STORE_ROOT}/roles/${name}`;

/** ZooKeeper's default jute.maxbuffer is 1 MiB; stay clearly below it. */
export const MAX_ZNODE_BYTES = 1_000_000;

/** `--zookeeper`, else ZOOKEEPER_CONNECT, else the local default. */
export function defaultConnect(flag?: string): string {
  return flag || process.env.ZOOKEEPER_CONNECT || '127.0.0.1:2181';
}

/** A connected session; close() it when done. */
export interface Store {
  put(path: string, data: Buffer): Promise<void>;
  /** The znode's data; throws "no znode PATH" when it is absent. */
  get(path: string): Promise<Buffer>;
  children(path: string): Promise<string[]>;
  close(): void;
}

/**
 * Connects, or fails within `timeoutMs` with "cannot reach the cookbook store at …" (the client
 * itself would retry forever, silently, against a server that is down).
 */
export async function openStore(connect: string, timeoutMs = 3000): Promise<Store> {
  const session = await ZookeeperSession.connect(connect, { connectTimeoutMs: timeoutMs, sessionTimeoutMs: 10_000 }).catch((err: unknown) => {
    throw new Error(`cannot reach the cookbook store at ${connect}: ${err instanceof Error ? err.message : String(err)}`);
  });
  return {
    async put(path, data) {
      if (data.length > MAX_ZNODE_BYTES) throw new Error(`${path} is ${data.length} bytes; the store takes at most ${MAX_ZNODE_BYTES}`);
      if (await session.exists(path)) {
        await session.setData(path, data);
        return;
      }
      await session.mkdirp(path.slice(0, path.lastIndexOf('/')));
      await session.create(path, data);
    },
    async get(path) {
      const found = await session.getData(path);
      if (!found) throw new Error(`no znode ${path} in the cookbook store at ${connect}`);
      return found.data;
    },
    children: (path) => session.getChildren(path),
    close: () => session.close(),
  };
}
