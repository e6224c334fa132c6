/** KeepAlive: one timer for every connection of the service, rather than one per connection. */

/** A connection that writes a keep-alive (or pings) once it has been silent for about `idleMs`. */
export interface KeepAliveTarget {
  keepAliveTick(now: number, idleMs: number): void;
}

/**
 * Ticks five times per `intervalMs` and hands each target the threshold `intervalMs - tick`: a
 * silent connection gets a keep-alive between 0.8 and 1 × intervalMs after its last write, and a
 * busy one never does (the spec wants the gap ≤ 30 s; the IRC gateway gives up after 90 s).
 */
export class KeepAlive {
  private readonly timer: NodeJS.Timeout;

  private readonly idleMs: number;

  /** `targets` is read at every tick (the node's open connections: no set of its own to keep in step). */
  constructor(
    intervalMs: number,
    private readonly targets: Iterable<KeepAliveTarget>,
  ) {
    const tickMs = Math.max(5, Math.floor(intervalMs / 5));
    this.idleMs = Math.max(1, intervalMs - tickMs);
    this.timer = setInterval(() => this.tick(), tickMs);
    // The timer alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    for (const target of this.targets) target.keepAliveTick(now, this.idleMs);
  }
}
