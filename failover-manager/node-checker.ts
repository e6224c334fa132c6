/** Checks every Redis node (PING, then INFO server and replication) on a dedicated connection each, and counts consecutive failures. */
import { Redis } from 'ioredis';
import type { NodeAddress, NodeObservation } from '../core/discovery/failover-state';

/** What INFO replication says about a node's place in replication. */
export interface ReplicationInfo {
  role: NodeObservation['role'];
  offset: number;
  following?: NodeAddress;
  linkUp?: boolean;
  replId?: string;
  /** run_id, when the text holds the server section. */
  runId?: string;
}

/** Parses `INFO replication` (Redis calls replicas "slave" there), and the run_id of `INFO server` when present. */
export function parseReplicationInfo(text: string): ReplicationInfo {
  const f = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) f.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const num = (key: string) => (f.has(key) ? Number(f.get(key)) : -1);
  const ids = { replId: f.get('master_replid'), ...(f.has('run_id') ? { runId: f.get('run_id') } : {}) };
  if (f.get('role') === 'master') return { role: 'master', offset: num('master_repl_offset'), ...ids };
  if (f.get('role') !== 'slave') return { role: 'unknown', offset: -1, ...ids };
  return {
    role: 'replica',
    offset: num('slave_repl_offset'),
    following: `${f.get('master_host')}:${f.get('master_port')}`,
    linkUp: f.get('master_link_status') === 'up',
    ...ids,
  };
}

/** Rejects with `what timed out` unless the promise settles within `ms`: a hung (SIGSTOPped) node never answers. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface NodeState {
  observation: NodeObservation;
  firstFailureAt: number | null;
  /** When the node last answered a whole check (ms epoch): where an outage of it begins. */
  lastSuccessAt: number | null;
  lastError: string | null;
}

/** Options for {@link NodeChecker}. */
export interface NodeCheckerOptions {
  /** Bound on connecting and on each command of a check. */
  timeoutMs: number;
  /** Consecutive failures after which this manager sees a node down. */
  downAfterChecks: number;
}

/**
 * One connection per node, never shared with anything else, with no offline queue and no retries:
 * a command either answers within the timeout or the check fails. A failed connection is dropped
 * and a fresh one made at the next check, so a reply that arrives late is never mistaken for a new one.
 */
export class NodeChecker {
  private readonly connections = new Map<NodeAddress, Redis>();
  private readonly states = new Map<NodeAddress, NodeState>();

  constructor(
    readonly nodes: readonly NodeAddress[],
    private readonly options: NodeCheckerOptions,
  ) {
    for (const node of nodes) {
      this.states.set(node, { observation: { up: true, role: 'unknown', offset: -1, failures: 0 }, firstFailureAt: null, lastSuccessAt: null, lastError: null });
    }
  }

  /** Checks every node in parallel; resolves when each has answered or failed. */
  async checkAll(now = Date.now()): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.checkOne(node, now)));
  }

  private async checkOne(node: NodeAddress, now: number): Promise<void> {
    const state = this.states.get(node)!;
    try {
      await this.run(node, ['PING']);
      // One round trip for both sections (Redis 7): the run_id tells a restart that no failed check saw.
      const info = parseReplicationInfo(String(await this.run(node, ['INFO', 'server', 'replication'])));
      state.observation = { up: true, ...info, failures: 0 };
      state.firstFailureAt = null;
      state.lastSuccessAt = Date.now(); // when it answered, not when the tick began
      state.lastError = null;
    } catch (err) {
      const failures = state.observation.failures + 1;
      // Keep the last known role, offset and replication id: they say what a dead node held.
      state.observation = { ...state.observation, failures, up: failures < this.options.downAfterChecks };
      state.firstFailureAt ??= now;
      state.lastError = (err as Error).message;
    }
  }

  /** Sends one command on the node's connection; any failure drops the connection. */
  async run(node: NodeAddress, args: (string | number)[], timeoutMs = this.options.timeoutMs): Promise<unknown> {
    try {
      const connection = await this.connection(node);
      const [command, ...rest] = args;
      return await withTimeout(connection.call(String(command), ...rest), timeoutMs, `${command} on ${node}`);
    } catch (err) {
      this.drop(node);
      throw err;
    }
  }

  private async connection(node: NodeAddress): Promise<Redis> {
    const existing = this.connections.get(node);
    if (existing) return existing;
    const [host, port] = splitAddress(node);
    const redis = new Redis({
      host, port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, enableReadyCheck: false,
      connectTimeout: this.options.timeoutMs, retryStrategy: () => null,
    });
    redis.on('error', () => {}); // failures surface through the command that hit them
    this.connections.set(node, redis);
    await withTimeout(redis.connect(), this.options.timeoutMs, `connect to ${node}`);
    return redis;
  }

  private drop(node: NodeAddress): void {
    this.connections.get(node)?.disconnect();
    this.connections.delete(node);
  }

  /** This manager's latest observation of the node. */
  observation(node: NodeAddress): NodeObservation {
    return this.states.get(node)!.observation;
  }

  /** Every node's latest observation. */
  observations(): Record<NodeAddress, NodeObservation> {
    return Object.fromEntries(this.nodes.map((n) => [n, this.observation(n)]));
  }

  /** When the current run of failed checks began (ms epoch), or null when the last check passed. */
  firstFailureAt(node: NodeAddress): number | null {
    return this.states.get(node)?.firstFailureAt ?? null;
  }

  /** When the node last answered a whole check (ms epoch), or null when this manager never saw it answer. */
  lastSuccessAt(node: NodeAddress): number | null {
    return this.states.get(node)?.lastSuccessAt ?? null;
  }

  /** The last check's error, for status lines. */
  lastError(node: NodeAddress): string | null {
    return this.states.get(node)?.lastError ?? null;
  }

  close(): void {
    for (const node of [...this.connections.keys()]) this.drop(node);
  }
}

/** `host:port` → [host, port]. */
export function splitAddress(address: NodeAddress): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
