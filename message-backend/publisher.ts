/** Publisher: after a batch is stored, sends each event to its channels and each reply to its edge, serializing once. */
import type { MessageJson } from '../core/domain/types';
import { encodeEvent, publishEvent } from '../core/events/publish';
import { asStoredEvent } from '../core/events/stored-events';
import type { PersistReply } from '../core/messaging/commands';
import type { Bus } from '../core/ports/bus';

export class Publisher {
  constructor(private readonly bus: Bus) {}

  /** Publishes events then replies; the reply embeds the event's JSON text rather than serializing it again. */
  async publish(events: MessageJson[], replies: { channel: string; reply: PersistReply }[]): Promise<void> {
    const json = new Map<MessageJson, string>();
    const sends: Promise<void>[] = [];
    for (const event of events) {
      const stored = asStoredEvent(event);
      const text = encodeEvent(stored);
      json.set(event, text);
      sends.push(publishEvent(this.bus, stored, text));
    }
    for (const { channel, reply } of replies) {
      const { message, ...head } = reply;
      const body = message ? `${JSON.stringify(head).slice(0, -1)},"message":${json.get(message) ?? JSON.stringify(message)}}` : JSON.stringify(reply);
      sends.push(this.bus.publish(channel, body));
    }
    await Promise.all(sends);
  }
}

