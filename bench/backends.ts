/**
 * Several message-backend processes over one set of queue shards, each owning its share before
 * anything is measured.
 *
 * A backend takes every shard nobody holds (first come, ADR 001: fair sharing is future work), so
 * backends started side by side with the same SHARDS would leave all shards to the first one and
 * the others idle. The bench therefore starts them one after another, backend i with SHARDS set to
 * the end of its share: it tries shards 0 … end−1, finds the earlier backends' shards held, and
 * takes the rest. A backend's SHARDS only bounds which shards it tries (it posts nothing, so it
 * routes nothing); the last one has the stack's full SHARDS, like the edges, and would take over
 * any shard another backend loses. Each backend's `tributary_shards_owned` gauge is read from its
 * /metrics until it owns exactly its share.
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

/** Polls `backend`'s gauge until it owns `expected` shards; throws with what it owns after `timeoutMs`. */
async function waitForShares(backend: ServiceProcess, expected: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let owned: number | null = null;
  while (Date.now() < until) {
    owned = await shardsOwned(backend.port);
    if (owned === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `message-backend :${backend.port} owns ${owned ?? 'an unreadable number of'} shards after ${timeoutMs / 1000} s, expected ${expected}; its last output:\n${backend.output()}`,
  );
}

/** Backend i's shards, [begin, end), when `shards` are split between `count` backends as evenly as they go. */
export function shareOf(i: number, count: number, shards: number): { begin: number; end: number } {
  return { begin: Math.round((i * shards) / count), end: Math.round(((i + 1) * shards) / count) };
}

/**
 * Starts `count` message-backends through `start` (given the env each one adds) so that they split
 * `shards` between them, and checks that every shard is owned, each backend holding its share.
 */
export async function startBackends(
  count: number,
  shards: number,
  start: (env: Record<string, string>) => Promise<ServiceProcess>,
  timeoutMs = 20_000,
): Promise<ServiceProcess[]> {
  if (count > shards) throw new Error(`${count} backends need at least ${count} shards (got ${shards}): a backend without a shard only waits`);
  const backends: ServiceProcess[] = [];
  for (let i = 0; i < count; i++) {
    const { begin, end } = shareOf(i, count, shards);
    const backend = await start({ SHARDS: String(end) });
    backends.push(backend);
    await waitForShares(backend, end - begin, timeoutMs);
  }
  // The earlier backends must still hold theirs now that the later ones run: checked again.
  for (const [i, backend] of backends.entries()) {
    const { begin, end } = shareOf(i, count, shards);
    await waitForShares(backend, end - begin, timeoutMs);
  }
  return backends;
}
