/**
 * The edge's half of the write path: put a command on its conversation's queue shard and wait
 * for the backend's reply that it is persisted. A timeout is a 503 with Retry-After; the client's
 * retry with the same uuid goes through the queue again and the backend, which deduplicates by
 * uuid, answers it with the stored message (no store look-up here: ADR 024).
 */
import { randomUUID } from 'node:crypto';
import type { MessageJson } from '../domain/types';
import { PostAccessCache } from '../access/post-access-cache';
import { AppError } from '../errors';
import type { Bus, Subscription } from '../ports/bus';
import type { WorkQueue } from '../ports/work-queue';
import { replyChannel } from './channels';
import type { PersistReply, QueueCommand } from './commands';
import { shardOf } from './shards';

export interface IngressOptions {
  queue: WorkQueue;
  bus: Bus;
  shardCount: number;
  /** How long to wait for the persisted reply before answering 503. */
  persistTimeoutMs: number;
  /** Called with the time from append to persisted reply, for metrics. */
  observeAckLatency?: (ms: number) => void;
}

/** A command's stored outcome: the message, whether it was stored before (a retry of its uuid), and whether the store checked its member (ADR 035). */
export interface Persisted {
  message: MessageJson;
  replayed: boolean;
  posterChecked: boolean;
}

interface Pending {
  resolve(persisted: Persisted): void;
  reject(err: Error): void;
}

/** Distributive Omit, so each member of the command union keeps its own fields. */
type WithoutReplyTo<C> = C extends unknown ? Omit<C, 'replyTo'> : never;
export type SubmitCommand = WithoutReplyTo<QueueCommand>;

/** Waiters are keyed by conversation, uuid, actor and the submission's ref: every command has its own reply. */
const pendingKey = (c: { conversation: string; uuid: string; actor: string; ref?: string }): string => `${c.conversation}\u0000${c.uuid}\u0000${c.actor}\u0000${c.ref ?? ''}`;

export class MessageIngress {
  /** Unique per process: the backend replies to this node's channel only. */
  readonly nodeId = randomUUID();
  /**
   * Recent "may post" answers of the gate, kept only for posts whose reply said the store checked
   * their member as it wrote them (`posterChecked`, ADR 035).
   */
  readonly postAccess = new PostAccessCache();
  private readonly pending = new Map<string, Pending[]>();
  private subscription: Subscription | null = null;

  constructor(private readonly options: IngressOptions) {}

  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe(replyChannel(this.nodeId), (payload) => this.onReply(payload));
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    this.subscription = null;
    for (const waiters of this.pending.values()) for (const w of waiters) w.reject(new AppError('UNAVAILABLE', 'shutting down', undefined, 1));
    this.pending.clear();
  }

  /** Appends the command and resolves with the stored message once the backend persisted it. */
  async submit(command: SubmitCommand): Promise<MessageJson> {
    return (await this.persist(command)).message;
  }

  /** Like {@link submit}, telling too whether the message was stored before (a retry). */
  async persist(submitted: SubmitCommand): Promise<Persisted> {
    const command = { ...submitted, ref: randomUUID() };
    const key = pendingKey(command);
    const started = Date.now();
    const outcome = new Promise<Persisted>((resolve, reject) => {
      const waiters = this.pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.pending.set(key, waiters);
    });
    // The timeout may reject it while the append below is still retrying (a Redis failover holds
    // it for seconds); unobserved until then, that rejection would crash the process. The await
    // further down still sees it.
    outcome.catch(() => undefined);
    const timer = setTimeout(
      () => this.settle(key, (w) => w.reject(new AppError('NOT_PERSISTED_YET', 'The message is queued but not yet saved; retry with the same uuid', undefined, 1))),
      this.options.persistTimeoutMs,
    );
    try {
      const shard = shardOf(command.conversation, this.options.shardCount);
      await this.options.queue.append(shard, JSON.stringify({ ...command, replyTo: replyChannel(this.nodeId) }));
    } catch (err) {
      this.settle(key, (w) => w.reject(new AppError('UNAVAILABLE', `queue unavailable: ${(err as Error).message}`, undefined, 1)));
    }
    try {
      const persisted = await outcome;
      this.options.observeAckLatency?.(Date.now() - started);
      return persisted;
    } finally {
      clearTimeout(timer);
    }
  }

  private onReply(payload: Buffer): void {
    const reply = JSON.parse(payload.toString('utf8')) as PersistReply;
    const key = pendingKey(reply);
    if (reply.message) {
      const persisted = { message: reply.message, replayed: reply.replayed === true, posterChecked: reply.posterChecked === true };
      this.settle(key, (w) => w.resolve(persisted));
    } else {
      const code = reply.error?.code ?? 'INTERNAL';
      this.settle(key, (w) => w.reject(new AppError(code, reply.error?.message ?? 'write failed')));
    }
  }

  private settle(key: string, fn: (w: Pending) => void): void {
    const waiters = this.pending.get(key);
    if (!waiters) return;
    this.pending.delete(key);
    for (const w of waiters) fn(w);
  }
}
