/**
 * Catch-up after a bus gap: when the bus had to re-subscribe, events published meanwhile were
 * never delivered. Every open connection knows the last id it sent per conversation, so the node
 * reads what came after from the store (once per conversation, from the lowest position any
 * connection holds) and delivers it through the same cursors that drop what a connection has.
 */
import type { Connection } from './connection';
import { envelopeOf } from './envelope';
import type { StreamingContext } from './streaming-context';

/** Lowest last-sent id per conversation over all connections, and who follows each. */
function positions(connections: Iterable<Connection>): Map<string, { since: number; followers: Connection[] }> {
  const out = new Map<string, { since: number; followers: Connection[] }>();
  for (const connection of connections) {
    if (connection.isClosed) continue;
    for (const [conversation, last] of Object.entries(connection.cursors.snapshot())) {
      const entry = out.get(conversation) ?? { since: last, followers: [] };
      entry.since = Math.min(entry.since, last);
      entry.followers.push(connection);
      out.set(conversation, entry);
    }
  }
  return out;
}

export async function catchUp(ctx: StreamingContext): Promise<void> {
  const { store, log, metrics } = ctx.deps;
  const limit = ctx.options.maxBackfill;
  for (const [conversation, { since, followers }] of positions(ctx.connections)) {
    const missed = await store.listAfter(conversation, since, limit + 1);
    if (missed.length > limit) {
      // Too far behind to replay here: the clients reconnect and resume (or resync) on their own.
      for (const connection of followers) connection.close('server shutting down');
      continue;
    }
    // Serialized once per conversation and shared, like live events.
    const envelopes = missed.map((m) => envelopeOf(Buffer.from(JSON.stringify(m)))).filter((e) => e !== null);
    for (const connection of followers) for (const envelope of envelopes) connection.deliver(envelope);
    metrics.catchUpReplayed.inc(missed.length);
    if (missed.length) log.info({ conversation, replayed: missed.length }, 'caught up after a bus gap');
  }
}
