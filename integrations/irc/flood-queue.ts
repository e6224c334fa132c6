/**
 * The bridge's outbound queue: a token bucket (a burst, then one line per interval), because IRC
 * servers cut a client that sends faster than they read (ngircd: "Excess Flood").
 */

interface QueuedLine {
  /** Null for a marker: no line, only the callback, in order. */
  text: string | null;
  /** Runs once the line is handed to the socket (the bridge moves its cursor then). */
  sent?: () => void;
  /** A marker's callback; the queue sends nothing more until what it returns settles. */
  hold?: () => Promise<void>;
}

export class FloodQueue {
  private readonly lines: QueuedLine[] = [];
  private tokens: number;
  private refilledAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  /** A marker's callback has not settled yet: nothing is sent meanwhile. */
  private holding = false;

  constructor(
    private readonly send: (line: string) => void,
    private readonly limits: { burst: number; intervalMs: number },
  ) {
    this.tokens = limits.burst;
  }

  get length(): number {
    return this.lines.length;
  }

  push(text: string, sent?: () => void): void {
    this.lines.push({ text, sent });
    this.drain();
  }

  /**
   * Runs `fn` once every line queued so far is sent (at once when none waits), and sends nothing
   * queued after it before the promise `fn` returns has settled (the bridge stores its cursor then).
   */
  mark(fn: () => Promise<void>): void {
    this.lines.push({ text: null, hold: fn });
    this.drain();
  }

  /** Forgets what was not sent (the link is gone; the bridge re-reads from its cursor). */
  clear(): void {
    this.lines.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private refill(): void {
    const now = Date.now();
    const earned = Math.floor((now - this.refilledAt) / this.limits.intervalMs);
    if (earned > 0) {
      this.tokens = Math.min(this.limits.burst, this.tokens + earned);
      this.refilledAt += earned * this.limits.intervalMs;
    }
    if (this.tokens === this.limits.burst) this.refilledAt = now;
  }

  private drain(): void {
    if (this.timer || this.holding) return;
    this.refill();
    while (this.lines.length && (this.tokens > 0 || this.lines[0]!.text === null)) {
      const line = this.lines.shift()!;
      if (line.text !== null) {
        this.tokens--;
        this.send(line.text);
      }
      line.sent?.();
      if (line.hold) {
        this.holding = true;
        // A failure is the callback's to report (the bridge logs it); the queue only waits for it to settle.
        const settled = (): void => {
          this.holding = false;
          this.drain();
        };
        line.hold().then(settled, settled);
        return;
      }
    }
    if (this.lines.length) {
      const wait = Math.max(1, this.refilledAt + this.limits.intervalMs - Date.now());
      this.timer = setTimeout(() => {
        this.timer = null;
        this.drain();
      }, wait);
    }
  }
}
