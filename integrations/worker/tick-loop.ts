/**
 * TickLoop: runs `tick` again `intervalMs()` after each run ends — never two at once — until
 * stopped; a failed run is reported and the loop goes on. Stopping waits for the run in hand. The
 * integration worker's source loop and the mail-out loop both run on it.
 */
export class TickLoop {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private halted = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** True once stop() was called: a run in hand checks it to end early. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  private schedule(ms: number): void {
    if (this.halted) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((err: unknown) => this.onError(err))
        .finally(() => {
          this.ticking = null;
          this.schedule(this.intervalMs());
        });
    }, ms);
  }
}
