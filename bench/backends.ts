/**
 * Several message-backend processes over one set of queue shards, each owning its share before
 * anything is measured. Backends share the shards by themselves (ADR 034: each holds its fair share
 * of SHARDS over the live backends and hands over the rest), so they all start with the stack's
 * SHARDS; the bench waits until their `tributary_shards_owned` gauges (from /metrics) add up to
 * every shard, each owning ⌊shards/count⌋ or ⌈shards/count⌉.
 */
import type { ServiceProcess } from './processes';

/** The shard gauge a backend exposes on /metrics; null when it cannot be read (yet). */
export async function shardsOwned(port: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = /^tributary_shards_owned ([0-9.]+)$/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Whether shards owned by each backend (null: unreadable) are every shard, split as evenly as they go. */
export function evenlySplit(owned: readonly (number | null)[], shards: number): boolean {
  const low = Math.floor(shards / owned.length);
  const counts = owned.filter((n): n is number => n !== null);
  return counts.length === owned.length && counts.reduce((a, b) => a + b, 0) === shards && counts.every((n) => n === low || n === low + 1);
}

/**
 * Starts `count` message-backends through `start` over `shards` and waits until they have split the
 * shards evenly; throws naming what each owns after `timeoutMs`.
 */
export async function startBackends(count: number, shards: number, start: () => Promise<ServiceProcess>, timeoutMs = 20_000): Promise<ServiceProcess[]> {
  if (count > shards) throw new Error(`${count} backends need at least ${count} shards (got ${shards}): a backend without a shard only waits`);
  const backends: ServiceProcess[] = [];
  for (let i = 0; i < count; i++) backends.push(await start());
  const until = Date.now() + timeoutMs;
  let owned: (number | null)[] = [];
  while (Date.now() < until) {
    owned = await Promise.all(backends.map((b) => shardsOwned(b.port)));
    if (evenlySplit(owned, shards)) return backends;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = backends.map((b, i) => `:${b.port} owns ${owned[i] ?? 'an unreadable number of'}`).join(', ');
  throw new Error(`the ${count} message-backends did not split ${shards} shards evenly within ${timeoutMs / 1000} s (${seen}); the last one's output:\n${backends.at(-1)?.output()}`);
}
