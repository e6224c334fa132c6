/**
 * GapFiller: reads from the store what the bus lost, for the connections that noticed a gap.
 * A lost publish is usually lost for every connection of the node at once, so concurrent requests
 * for the same conversation and position share one store read, serialized once.
 */
import { encodeEvent } from '../core/events/publish';
import { asStoredEvent } from '../core/events/stored-events';
import type { MessageStore } from '../core/ports/message-store';
import type { Envelope } from './envelope';

export class GapFiller {
  private readonly inFlight = new Map<string, Promise<Envelope[] | null>>();

  constructor(
    private readonly store: Pick<MessageStore, 'listAfter'>,
    /** Most messages replayed into one gap; beyond it the client gets `resync` instead. */
    private readonly limit: number,
    /** Called once per store read with what it found (null: too many). */
    private readonly onRead?: (conversation: string, found: number | null) => void,
  ) {}

  /** Messages after `after`, oldest first; null when more than the limit are missing. Rejects if the store fails. */
  fill(conversation: string, after: number): Promise<Envelope[] | null> {
    const key = `${conversation}\u0000${after}`;
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.read(conversation, after);
      this.inFlight.set(key, read);
      const forget = () => this.inFlight.delete(key);
      read.then(forget, forget);
    }
    return read;
  }

  private async read(conversation: string, after: number): Promise<Envelope[] | null> {
    const messages = await this.store.listAfter(conversation, after, this.limit + 1);
    const tooMany = messages.length > this.limit;
    this.onRead?.(conversation, tooMany ? null : messages.length);
    if (tooMany) return null;
    return messages.map((m) => ({ bytes: Buffer.from(encodeEvent(asStoredEvent(m))), id: m.id, conversation, sent: null }));
  }
}
