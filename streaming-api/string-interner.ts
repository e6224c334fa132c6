/**
 * StringInterner: one copy of the strings that many connections of a node hold alike (channel
 * names, flow paths), so that 10 000 subscribers of a flow share them instead of each keeping its
 * own (ADR 032). Bounded: past `max` distinct strings it starts over, after which later copies are
 * merely not shared with earlier ones.
 */
export class StringInterner {
  private readonly strings = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  /** A string equal to `value`: the first one seen since the last start-over. */
  intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size >= this.max) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }
}
