/**
 * The failover tests' books: what the store holds for the flow, and the count of what was lost,
 * doubled or not delivered, set against what the writers were told and the readers received.
 */
import type { FlowReader } from './flow-readers';

/** A stored message as REST lists it, reduced to what the books need. */
export interface StoredMessage {
  id: number;
  uuid: string;
}

/** Every stored message of the flow (REST, `since_id` paging), in id order. */
export async function listStored(target: { port: number; token: string; flowPath: string }): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  for (let since = 0; ; ) {
    const res = await fetch(`http://127.0.0.1:${target.port}/flows/${target.flowPath}/messages?sort=asc&limit=100&since_id=${since}`, {
      headers: { authorization: `Bearer ${target.token}` },
    });
    const page = (await res.json()) as StoredMessage[];
    if (!page.length) return stored;
    stored.push(...page.map(({ id, uuid }) => ({ id, uuid })));
    since = page[page.length - 1]!.id;
  }
}

/** What one reader got wrong. */
export interface ReaderTally {
  transport: 'ws' | 'http';
  port: number;
  /** Stored ids it never received. */
  undelivered: number;
  /** Ids it received more than once (each extra copy counts). */
  repeated: number;
  /** Whether what it received is exactly the stored ids, in order. */
  inOrder: boolean;
  resyncs: number;
  /** Why its connection ended early, or null. */
  dropped: string | null;
}

/** The books of one flow. */
export interface Tally {
  acknowledged: number;
  stored: number;
  /** Acknowledged posts not stored, or stored under another id than the one acknowledged. */
  lost: number;
  /** Stored copies beyond the first of one uuid. */
  doubled: number;
  readers: ReaderTally[];
}

export function tally(acked: ReadonlyMap<string, number>, stored: readonly StoredMessage[], readers: readonly FlowReader[]): Tally {
  const idByUuid = new Map(stored.map((m) => [m.uuid, m.id]));
  const ids = stored.map((m) => m.id);
  return {
    acknowledged: acked.size,
    stored: stored.length,
    lost: [...acked].filter(([uuid, id]) => idByUuid.get(uuid) !== id).length,
    doubled: stored.length - idByUuid.size,
    readers: readers.map((r) => {
      const received = new Set(r.ids);
      return {
        transport: r.transport,
        port: r.port,
        undelivered: ids.filter((id) => !received.has(id)).length,
        repeated: r.ids.length - received.size,
        inOrder: r.ids.length === ids.length && r.ids.every((id, i) => id === ids[i]),
        resyncs: r.resyncs.length,
        dropped: r.dropped(),
      };
    }),
  };
}

/** One line per reader: `ws@port undelivered 0, repeated 0, in order, 0 resyncs, connected`. */
export function describeReaders(t: Tally): string {
  return t.readers
    .map((r) => `${r.transport}@${r.port} undelivered ${r.undelivered}, repeated ${r.repeated}, ${r.inOrder ? 'in order' : 'NOT in order'}, ${r.resyncs} resyncs, ${r.dropped ? `DROPPED (${r.dropped})` : 'connected'}`)
    .join('; ');
}
