/**
 * Catch-up after a bus gap: when the bus had to re-subscribe, events published meanwhile were
 * never delivered, and a conversation with no later event would never show the gap. So every
 * open connection fills each conversation it follows from the store, through the same hold and
 * gap fill as a gap noticed live (one shared store read per conversation and position), and
 * the next subscriber of each channel reads its start from the store, not from the hub (ADR 032).
 */
import type { StreamingContext } from './streaming-context';

export function catchUp(ctx: StreamingContext): void {
  // The hub's last ids may predate what the gap lost: the next subscribers read the store again.
  ctx.hub.forgetLastIds();
  for (const connection of ctx.connections) {
    for (const conversation of Object.keys(connection.cursors.snapshot())) connection.catchUp(conversation);
  }
}
