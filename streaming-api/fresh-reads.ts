/** FreshReads: concurrent reads of one key share a query, but only one that starts after they asked. */

interface KeyState<V> {
  running: Promise<V>;
  /** The read that starts when `running` settles, shared by everybody who asked meanwhile. */
  next: Promise<V> | null;
}

/**
 * Many subscribers of one flow ask for its last id at once (10 000 clients reconnecting after a
 * deploy). Sharing a query already under way would be wrong: it may have read the store before a
 * caller's bus subscription was active, and a message persisted in between would be neither in the
 * answer nor delivered live. So at most one query per key runs; whoever asks while it runs gets
 * the next one, started after it settles, hence after they asked. N concurrent reads cost two.
 */
export class FreshReads<V> {
  private readonly keys = new Map<string, KeyState<V>>();

  constructor(private readonly query: (key: string) => Promise<V>) {}

  read(key: string): Promise<V> {
    const state = this.keys.get(key);
    if (!state) return this.start(key);
    state.next ??= state.running.then(
      () => this.start(key),
      () => this.start(key),
    );
    return state.next;
  }

  private start(key: string): Promise<V> {
    const running = this.query(key);
    const state: KeyState<V> = { running, next: null };
    this.keys.set(key, state);
    const settled = () => {
      // Once a follow-up read started it owns the key; only the newest state clears it.
      if (this.keys.get(key) === state) this.keys.delete(key);
    };
    running.then(settled, settled);
    return running;
  }
}
