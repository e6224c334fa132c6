/** A tiny request/response protocol over a forked worker's IPC channel, and the commands the bench workers understand. */
import type { ChildProcess } from 'node:child_process';
import type { SparseHistogram } from './stats';

/** Which server the clients talk to: Tributary's `/ws`, a Socket.IO node, or the ceiling peer. */
export type ClientKind = 'tributary' | 'socketio' | 'ceiling';

/**
 * Opens connections `first .. first+count-1`. Connection i goes to `urls[i % urls.length]` with
 * `tokens[i % tokens.length]` and subscribes to every flow of `flowSets[i % flowSets.length]`.
 */
export interface ConnectRequest {
  kind: ClientKind;
  urls: string[];
  tokens: string[];
  flowSets: string[][];
  first: number;
  count: number;
  /** Connections being opened at once by this worker. */
  concurrency: number;
}

export interface ConnectResult {
  ok: number;
  failed: number;
  /** The first few failure messages. */
  errors: string[];
  ms: number;
}

/** What one worker saw of one phase. */
export interface PhaseStats {
  delivered: number;
  /** Wall-clock ms of the first and last delivery (0 when none). */
  firstAt: number;
  lastAt: number;
  latency: SparseHistogram;
}

export interface Progress {
  /** Events received so far, all phases. */
  delivered: number;
  lastAt: number;
  open: number;
  /** Connections the server closed (slow consumer, shutdown) or that failed after opening. */
  dropped: number;
  dropReasons: Record<string, number>;
}

/** Client worker commands and their results. */
export type ClientCommands = {
  connect: [ConnectRequest, ConnectResult];
  /** Events without a `ph` field count for this phase from now on. */
  phase: [{ phase: string }, null];
  stats: [{ phase: string }, PhaseStats];
  progress: [null, Progress];
  /** Re-opens connections the server dropped; resolves with how many came back. */
  heal: [null, ConnectResult];
  close: [null, null];
};

export interface PublishRequest {
  phase: string;
  /** Events per second across all flows. */
  rate: number;
  seconds: number;
  /** Publish over the first `flows` flows only (default: all). */
  flows?: number;
}

export interface PublishResult {
  published: number;
  startedAt: number;
  endedAt: number;
}

/** Publisher worker commands and their results. */
export type PublisherCommands = {
  init: [{ mode: 'redis'; redisUrl: string; channelPrefix: string; flowIds: string[] } | { mode: 'socketio'; redisUrl: string; adapterKey: string; flowIds: string[] }, null];
  publish: [PublishRequest, PublishResult];
  /** Message ids start again at 1 (for fresh subscribers, whose cursors start at the store's last id, 0). */
  resetIds: [null, null];
  close: [null, null];
};

type Commands = Record<string, [unknown, unknown]>;
interface Request {
  id: number;
  cmd: string;
  arg: unknown;
}
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Parent side: typed calls to a worker; each call times out after `timeoutMs`. */
export class WorkerClient<C extends Commands> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  call<K extends keyof C & string>(cmd: K, arg: C[K][0], timeoutMs = 120_000): Promise<C[K][1]> {
    const id = this.nextId++;
    return new Promise<C[K][1]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker command ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as C[K][1]);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      // With a callback, a closed channel (the worker was killed on abort) rejects this call instead of an unhandled 'error' event.
      this.child.send({ id, cmd, arg } satisfies Request, (error) => {
        if (!error) return;
        this.pending.get(id)?.reject(error);
        this.pending.delete(id);
      });
    });
  }
}

/** Worker side: answers the parent's calls; exits when the parent goes away. */
export function serveCommands<C extends Commands>(handlers: { [K in keyof C]: (arg: C[K][0]) => Promise<C[K][1]> | C[K][1] }): void {
  if (!process.send) throw new Error('this module runs as a forked worker');
  process.on('message', (m: Request) => {
    const handler = handlers[m.cmd as keyof C];
    const reply = (r: Reply) => process.send?.(r);
    if (!handler) return reply({ id: m.id, error: `unknown command ${m.cmd}` });
    Promise.resolve()
      .then(() => handler(m.arg as C[keyof C][0]))
      .then(
        (result) => reply({ id: m.id, result }),
        (error: unknown) => reply({ id: m.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The orchestrator died or closed the channel: nothing left to do here.
  process.on('disconnect', () => process.exit(0));
}
