/** How deeply a parsed JSON value nests, measured without recursion so that a hostile value cannot overflow the stack. */

/**
 * True when `value` nests arrays/objects more than `maxDepth` levels (a scalar is depth 0, `[]`
 * and `{}` depth 1). Stops as soon as the limit is passed, so the cost is bounded by what it
 * has to look at, not by the value's whole size beyond the limit.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
