/**
 * Posts on their way (issue 11, point 5): each is sent with its uuid, and one that did not get an
 * answer (offline, a dropped connection, a 5xx, a 429) stays queued and is sent again, with the
 * same uuid, when `flush` is called (on reconnect) or its backoff ends. The server keeps one
 * message per uuid, so a post whose answer was lost is never doubled. A refusal (4xx) is final.
 */
import { backoffMs } from './backoff';
import type { FlowEvent } from './types';

export interface OutgoingPost {
  uuid: string;
  /** The conversation's key (its log). */
  key: string;
  /** The conversation's REST collection (`/flows/org/flow`, `/private/9`). */
  base: string;
  text: string;
  /** When it was written (ms): where it shows while pending, after a reload too. */
  sent: number;
  /** A reply in this thread of the flow. */
  threadId?: string;
}

export interface OutboxDeps {
  post(item: OutgoingPost): Promise<FlowEvent>;
  /** Whether a failure may pass if tried again (the network, the server's 5xx or 429). */
  retryable(error: unknown): boolean;
  onStored(item: OutgoingPost, stored: FlowEvent): void;
  onQueued(item: OutgoingPost): void;
  onFailed(item: OutgoingPost, reason: string): void;
  /** The posts not yet stored changed (one was added or settled): the app keeps them across a reload. */
  onChange?(waiting: OutgoingPost[]): void;
  /** setTimeout, replaceable in tests. */
  schedule?(run: () => void, ms: number): void;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

export class Outbox {
  private readonly waiting = new Map<string, { item: OutgoingPost; inFlight: boolean; failures: number }>();
  private timerSet = false;

  constructor(private readonly deps: OutboxDeps) {}

  /** Sends a new post (or a retried one, by the same uuid). */
  add(item: OutgoingPost): void {
    this.waiting.set(item.uuid, { item, inFlight: false, failures: 0 });
    this.changed();
    this.send(item.uuid);
  }

  /** Sends every queued post now (the connection is back). */
  flush(): void {
    for (const uuid of this.waiting.keys()) this.send(uuid);
  }

  /** Posts not yet stored. */
  get size(): number {
    return this.waiting.size;
  }

  private changed(): void {
    this.deps.onChange?.([...this.waiting.values()].map((w) => w.item));
  }

  private send(uuid: string): void {
    const entry = this.waiting.get(uuid);
    if (!entry || entry.inFlight) return;
    entry.inFlight = true;
    this.deps.post(entry.item).then(
      (stored) => {
        this.waiting.delete(uuid);
        this.changed();
        this.deps.onStored(entry.item, stored);
      },
      (error: unknown) => {
        entry.inFlight = false;
        if (!this.deps.retryable(error)) {
          this.waiting.delete(uuid);
          this.changed();
          this.deps.onFailed(entry.item, error instanceof Error ? error.message : String(error));
          return;
        }
        entry.failures += 1;
        this.deps.onQueued(entry.item);
        this.retryLater(backoffMs(entry.failures, FIRST_RETRY_MS, MAX_RETRY_MS));
      },
    );
  }

  private retryLater(ms: number): void {
    if (this.timerSet) return;
    this.timerSet = true;
    (this.deps.schedule ?? ((run, delay) => void setTimeout(run, delay)))(() => {
      this.timerSet = false;
      this.flush();
    }, ms);
  }
}
