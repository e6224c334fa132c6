/** InProcessBus: the Bus for the embedded single-process mode and unit tests; no I/O. */
import type { Bus, BusHandler, Subscription } from '../ports/bus';

/** Options for {@link InProcessBus}. */
export interface InProcessBusOptions {
  /**
   * Called when a handler throws. A throwing handler must not stop delivery to the others, nor
   * surface in the publisher (which has long returned); by default the error is logged.
   */
  onHandlerError?: (error: unknown, channel: string) => void;
}

/**
 * A Bus inside one process. Delivery is asynchronous (a microtask per publish, so the publisher
 * never runs subscriber code re-entrantly) and in publish order, because microtasks run FIFO.
 * Every subscriber of one publish receives the same Buffer object.
 */
export class InProcessBus implements Bus {
  private readonly channels = new Map<string, Set<BusHandler>>();
  private readonly gapListeners: (() => void)[] = [];
  private readonly onHandlerError: (error: unknown, channel: string) => void;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.onHandlerError = options.onHandlerError ?? ((error, channel) => console.error(`bus handler failed on ${channel}`, error));
  }

  /**
   * In one process nothing is lost between publisher and subscribers; but a feed into the bus from
   * outside may lose messages while it reconnects, and then says so (reportGap).
   */
  onGap(listener: () => void): void {
    this.gapListeners.push(listener);
  }

  /**
   * A feed from outside (the credential-change relay through Postgres, embedded mode) reconnected and
   * may have missed messages: the gap listeners run, as after a Redis subscriber's reconnect.
   */
  reportGap(): void {
    for (const listener of this.gapListeners) {
      try {
        listener();
      } catch (error) {
        this.onHandlerError(error, '(gap)');
      }
    }
  }

  async publish(channel: string, payload: Buffer | string): Promise<void> {
    if (this.closed) throw new Error('InProcessBus is closed');
    const handlers = this.channels.get(channel);
    if (!handlers || handlers.size === 0) return;
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    // Snapshot: a handler subscribed after this publish must not see it (as with Redis).
    const targets = [...handlers];
    queueMicrotask(() => {
      for (const handler of targets) {
        // Re-check membership: unsubscribing must stop delivery of already-published events too.
        if (!handlers.has(handler)) continue;
        try {
          handler(bytes, channel);
        } catch (error) {
          this.onHandlerError(error, channel);
        }
      }
    });
  }

  async subscribe(channel: string, handler: BusHandler): Promise<Subscription> {
    if (this.closed) throw new Error('InProcessBus is closed');
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    // Wrap so that the same function can subscribe twice and unsubscribe each independently.
    const entry: BusHandler = (payload, ch) => handler(payload, ch);
    handlers.add(entry);
    return {
      unsubscribe: async () => {
        const current = this.channels.get(channel);
        if (!current?.delete(entry)) return;
        if (current.size === 0) this.channels.delete(channel);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const handlers of this.channels.values()) handlers.clear();
    this.channels.clear();
  }
}
