/** RedisBus: the Bus over Redis pub/sub, shared by every process (web-api, message-backend, streaming-api). */
import type { Redis } from 'ioredis';
import type { Bus, BusHandler, Subscription } from '../../core/ports/bus';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { onRedis } from './redis-outage';

/** Options for {@link RedisBus}. */
export interface RedisBusOptions {
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the publisher and the subscriber connection. The bus owns and closes both. */
  connect?: RedisConnect;
  /** Prepended to every channel, so that deployments and test files stay apart. Default `trib:`. */
  prefix?: string;
  /** Called when a handler throws; the others still receive the event. Default: log. */
  onHandlerError?: (error: unknown, channel: string) => void;
  /**
   * Called once the subscriber connection is back and subscribed again after a drop. Events
   * published meanwhile are lost (pub/sub keeps nothing), so this is the moment to backfill.
   */
  onResubscribed?: () => void;
}

interface ChannelState {
  /** The channel as the caller named it (without prefix), handed to handlers without re-slicing. */
  name: string;
  handlers: Set<BusHandler>;
  /** Settles when Redis has answered the channel's SUBSCRIBE. */
  confirmed: Promise<void>;
}

/** Channels per re-SUBSCRIBE command after a reconnect, to keep each command a sane size. */
const RESUBSCRIBE_CHUNK = 1000;
/** Pause before a re-subscribe that failed on a connection still up is sent again. */
const RESUBSCRIBE_RETRY_MS = 200;

/**
 * One publisher and one subscriber connection per process. Local handlers are refcounted per
 * channel: Redis sees SUBSCRIBE for the first handler and UNSUBSCRIBE after the last, so a
 * streaming node holding thousands of clients on one flow costs Redis one subscription. Payloads
 * arrive as Buffers (`messageBuffer`) and the same Buffer goes to every local handler.
 */
export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  /** Keyed by the prefixed channel, as Redis reports it. */
  private readonly channels = new Map<string, ChannelState>();
  private readonly onHandlerError: (error: unknown, channel: string) => void;
  private readonly onResubscribed: () => void;
  private readonly gapListeners: (() => void)[] = [];
  /** Counts the subscriber's `ready` events: the first is no gap, and a re-subscribe belongs to one connection. */
  private readyCount = 0;
  private closed = false;

  constructor(options: RedisBusOptions = {}) {
    const connect = options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379');
    // A stored batch publishes an event and a reply per post at once: one write for all (ADR 036).
    this.pub = connect({ enableAutoPipelining: true });
    this.prefix = options.prefix ?? 'trib:';
    // Named, so that operators (and tests) can tell a node's subscriber apart in CLIENT LIST.
    // Re-subscribed by subOnReady alone: ioredis's own re-subscribe leaves its promise unhandled,
    // so a connection closed before Redis answers it raised an unhandled rejection in the process.
    this.sub = connect({ connectionName: `${this.prefix}bus-sub`, autoResubscribe: false });
    this.onHandlerError = options.onHandlerError ?? ((error, channel) => console.error(`bus handler failed on ${channel}`, error));
    this.onResubscribed = options.onResubscribed ?? (() => {});
    this.sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.dispatch(channel, payload));
    this.sub.on('ready', () => this.subOnReady());
    // Without a listener, ioredis reports connection errors as unhandled; reconnecting is its job.
    this.sub.on('error', () => {});
    this.pub.on('error', () => {});
  }

  async publish(channel: string, payload: Buffer | string): Promise<void> {
    await onRedis(this.pub.publish(this.prefix + channel, payload));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<Subscription> {
    if (this.closed) throw new Error('RedisBus is closed');
    const key = this.prefix + channel;
    let state = this.channels.get(key);
    if (!state) {
      state = { name: channel, handlers: new Set(), confirmed: onRedis(this.sub.subscribe(key)).then(() => {}) };
      this.channels.set(key, state);
    }
    // Wrapped so that one function subscribed twice is two independent subscriptions.
    const entry: BusHandler = (payload, ch) => handler(payload, ch);
    state.handlers.add(entry);
    try {
      // Later handlers wait too: until Redis confirms, a publish could still miss this channel.
      await state.confirmed;
    } catch (error) {
      await this.remove(key, entry).catch(() => {});
      throw error;
    }
    return { unsubscribe: () => this.remove(key, entry) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await Promise.all([closeClient(this.sub), closeClient(this.pub)]);
  }

  onGap(listener: () => void): void {
    this.gapListeners.push(listener);
  }

  private async remove(key: string, entry: BusHandler): Promise<void> {
    const state = this.channels.get(key);
    if (!state?.handlers.delete(entry) || state.handlers.size > 0) return;
    this.channels.delete(key);
    if (!this.closed) await this.sub.unsubscribe(key);
  }

  private dispatch(channel: Buffer, payload: Buffer): void {
    const state = this.channels.get(channel.toString());
    if (!state) return;
    for (const handler of state.handlers) {
      try {
        handler(payload, state.name);
      } catch (error) {
        this.onHandlerError(error, state.name);
      }
    }
  }

  /**
   * After a reconnect the subscriber subscribes again to every channel of our map, which is the
   * one record of what this process follows. ioredis could do it by itself (autoResubscribe, off
   * here), but only to what its own bookkeeping held, without telling anyone when it is done, and
   * without handling the command's failure: closing the bus before Redis answered it was an
   * unhandled rejection. Ours reports a confirmed point (onResubscribed, onGap) and handles failure.
   */
  private subOnReady(): void {
    if (++this.readyCount > 1) this.resubscribe(this.readyCount);
  }

  /**
   * Subscribes the map again on the connection's `ready` number `ready`, then reports the gap. A
   * failure on a connection that is still that one (a SUBSCRIBE that outlived the command timeout:
   * the socket stays up, so no new `ready` comes) tries again, else the gap would go unreported and
   * the events published meanwhile (a revoked access among them) would never be caught up on.
   */
  private resubscribe(ready: number): void {
    if (this.closed || ready !== this.readyCount) return;
    const keys = [...this.channels.keys()];
    const chunks: Promise<unknown>[] = [];
    for (let i = 0; i < keys.length; i += RESUBSCRIBE_CHUNK) chunks.push(this.sub.subscribe(...keys.slice(i, i + RESUBSCRIBE_CHUNK)));
    Promise.all(chunks).then(() => {
      if (this.closed || ready !== this.readyCount) return;
      for (const listener of [this.onResubscribed, ...this.gapListeners]) {
        try {
          listener();
        } catch (error) {
          this.onHandlerError(error, '(gap)');
        }
      }
    }, () => {
      // Dropped again: the next 'ready' starts over. Still up: Redis was slow; again after a pause.
      if (this.sub.status === 'ready') setTimeout(() => this.resubscribe(ready), RESUBSCRIBE_RETRY_MS).unref();
    });
  }
}
