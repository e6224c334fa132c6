/**
 * A careful REST client for the failover tests: it posts each message with its own uuid and
 * retries with that same uuid until 201, so nothing it was told is saved may be lost and nothing
 * it retried may be doubled. It records what was acknowledged, under which id, and when.
 */
import { randomUUID } from 'node:crypto';

/** Where to post: web-api's port, the credentials, the flow as `org/flow`. */
export interface WriterTarget {
  port: number;
  token: string;
  flowPath: string;
}

/** One POST; the id on 201, null otherwise (any other status, a network error, or no answer within 5 s). */
async function postOnce(target: WriterTarget, content: string, uuid: string): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${target.port}/flows/${target.flowPath}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'message', content, uuid }),
      signal: AbortSignal.timeout(5000),
    });
    const body = await res.text();
    return res.status === 201 ? (JSON.parse(body) as { id: number }).id : null;
  } catch {
    return null;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CarefulWriter {
  /** uuid → id of every post answered 201. */
  readonly acked = new Map<string, number>();
  /** uuid → content of every post not (yet) answered 201. */
  readonly pending = new Map<string, string>();
  /** Attempts answered otherwise (503, network error, timeout). */
  retries = 0;
  /** Send time and answer time of every successful attempt, in answer order. */
  private readonly successes: { sentAt: number; ackedAt: number }[] = [];
  private deadline = Number.POSITIVE_INFINITY;
  private readonly inFlight = new Set<Promise<void>>();
  /** Called after every success, by {@link waitForAckSentAfter}. */
  private readonly onSuccess = new Set<() => void>();

  constructor(private readonly target: WriterTarget) {}

  /** Posts until 201 with the same uuid, pausing 100 ms between attempts; gives up at the deadline (the post stays pending). */
  async post(content: string, uuid: string = randomUUID(), until = Number.POSITIVE_INFINITY): Promise<void> {
    this.pending.set(uuid, content);
    while (Date.now() < Math.min(until, this.deadline)) {
      const sentAt = Date.now();
      const id = await postOnce(this.target, content, uuid);
      if (id !== null) {
        this.acked.set(uuid, id);
        this.pending.delete(uuid);
        this.successes.push({ sentAt, ackedAt: Date.now() });
        for (const listener of [...this.onSuccess]) listener();
        return;
      }
      this.retries++;
      await pause(100);
    }
  }

  /**
   * Posts `perSecond` messages a second, each retried on its own whether or not the earlier ones
   * were answered (as independent clients would); a late timer tick (a busy machine) starts the
   * posts that fell due meanwhile. Returns the stop function: no new posts, and resolves once
   * every post started was answered or `drainMs` passed.
   */
  pace(perSecond: number, drainMs: number): () => Promise<void> {
    const startedAt = Date.now();
    let started = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((Date.now() - startedAt) * perSecond) / 1000);
      for (; started < due; started++) {
        const post = this.post(`paced ${started}`).finally(() => this.inFlight.delete(post));
        this.inFlight.add(post);
      }
    }, 1000 / perSecond);
    return async () => {
      clearInterval(timer);
      this.deadline = Date.now() + drainMs;
      await Promise.all([...this.inFlight]);
      this.deadline = Number.POSITIVE_INFINITY;
    };
  }

  /** When the first attempt sent at or after `at` was answered 201 (Infinity: none yet). */
  firstAckSentAfter(at: number): number {
    let first = Number.POSITIVE_INFINITY;
    for (const s of this.successes) if (s.sentAt >= at) first = Math.min(first, s.ackedAt);
    return first;
  }

  /** Resolves with the answer time once a post sent at or after `at` was answered 201. Rejects after `timeoutMs`. */
  waitForAckSentAfter(at: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const first = this.firstAckSentAfter(at);
        if (!Number.isFinite(first)) return;
        this.onSuccess.delete(check);
        clearTimeout(timer);
        resolve(first);
      };
      const timer = setTimeout(() => {
        this.onSuccess.delete(check);
        reject(new Error(`no post sent after ${new Date(at).toISOString()} was acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onSuccess.add(check);
      check();
    });
  }
}
