/**
 * SmallMap: a string-keyed map for the few entries one connection usually holds (its channels,
 * its conversations' cursors). Up to {@link FLAT_MAX} entries live in one exactly-sized array of
 * keys and values; beyond that, in a Map. A JS Map costs about 200 bytes even with one entry, and
 * an idle connection must cost little (ADR 032). Insertion order is kept, as a Map keeps it.
 */
const FLAT_MAX = 8;

export class SmallMap<V> {
  /** Keys at even indexes, each followed by its value; replaced, never grown, so it stays exactly sized. */
  private flat: (string | V)[] = [];
  private map: Map<string, V> | null = null;

  get size(): number {
    return this.map ? this.map.size : this.flat.length / 2;
  }

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    const i = this.indexOf(key);
    return i < 0 ? undefined : (this.flat[i + 1] as V);
  }

  has(key: string): boolean {
    return this.map ? this.map.has(key) : this.indexOf(key) >= 0;
  }

  set(key: string, value: V): void {
    if (this.map) {
      this.map.set(key, value);
      return;
    }
    const i = this.indexOf(key);
    if (i >= 0) this.flat[i + 1] = value;
    // concat allocates exactly what it returns (a spread or a push leaves room for 17 slots).
    else if (this.flat.length < 2 * FLAT_MAX) this.flat = this.flat.concat([key, value]);
    else {
      this.map = new Map([...this.entries(), [key, value]]);
      this.flat = [];
    }
  }

  delete(key: string): boolean {
    if (this.map) return this.map.delete(key);
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.flat = this.flat.slice(0, i).concat(this.flat.slice(i + 2));
    return true;
  }

  clear(): void {
    this.flat = [];
    this.map = null;
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  /** The entries in insertion order; a snapshot while flat (setting during the loop is safe). */
  *entries(): IterableIterator<[string, V]> {
    if (this.map) {
      yield* this.map.entries();
      return;
    }
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i] as string, flat[i + 1] as V];
  }

  private indexOf(key: string): number {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return i;
    return -1;
  }
}
