/**
 * Reads the user's flow list (`GET /flows`) when the app starts, when the live connection reports a
 * flow gained, and after a resume. One read at a time: a read asked for while one is under way makes
 * one more after it (the answer under way may predate the change that asked), and only an answer no
 * later read was asked after is handed on. A failed read is tried again after a backoff (1 s
 * doubling to 30 s). After a resume the read waits a random moment within a spread, so that the
 * clients of a restarted streaming node do not all ask at once.
 */
import { backoffMs } from './backoff';
import type { Flow } from './types';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export class FlowListReader {
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly fetchList: () => Promise<Flow[]>,
    private readonly onList: (list: Flow[]) => void,
    private readonly random: () => number = Math.random,
  ) {}

  /** Reads now, or right after the read under way. */
  read(): void {
    if (this.stopped) return;
    this.clearTimer();
    if (this.running) {
      this.again = true;
      return;
    }
    void this.loop();
  }

  /** Reads at a random moment within `spreadMs` (or right after the read under way). */
  readSoon(spreadMs: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.read(), this.random() * spreadMs);
  }

  /** A read is under way or waiting: a change applied to the list meanwhile could be undone by its answer. */
  get busy(): boolean {
    return this.running || this.timer !== null;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        let list: Flow[];
        try {
          list = await this.fetchList();
        } catch {
          if (!this.again) this.retryLater();
          continue;
        }
        if (this.stopped) return;
        if (this.again) continue;
        this.failures = 0;
        this.onList(list);
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private retryLater(): void {
    this.failures += 1;
    this.timer = setTimeout(() => this.read(), backoffMs(this.failures, FIRST_RETRY_MS, MAX_RETRY_MS));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
