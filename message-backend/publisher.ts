/** Publisher: after a batch is stored, sends each event to its channels and each reply to its edge, serializing once. */
import type { MessageJson } from '../core/domain/types';
import { flowChannel, userChannel } from '../core/messaging/channels';
import type { PersistReply } from '../core/messaging/commands';
import type { Bus } from '../core/ports/bus';

function channelsOf(message: MessageJson): string[] {
  if (message.flow) return [flowChannel(message.flow)];
  const to = Number(message.to);
  const from = Number(message.user);
  return [userChannel(from), ...(to !== from ? [userChannel(to)] : [])];
}

export class Publisher {
  constructor(private readonly bus: Bus) {}

  /** Publishes events then replies; the reply embeds the event's JSON text rather than serializing it again. */
  async publish(events: MessageJson[], replies: { channel: string; reply: PersistReply }[]): Promise<void> {
    const json = new Map<MessageJson, string>();
    const sends: Promise<void>[] = [];
    for (const event of events) {
      const text = JSON.stringify(event);
      json.set(event, text);
      const payload = Buffer.from(text);
      for (const channel of channelsOf(event)) sends.push(this.bus.publish(channel, payload));
    }
    for (const { channel, reply } of replies) {
      const head = JSON.stringify({ uuid: reply.uuid, conversation: reply.conversation, actor: reply.actor });
      const body = reply.message
        ? `${head.slice(0, -1)},"message":${json.get(reply.message) ?? JSON.stringify(reply.message)}}`
        : JSON.stringify(reply);
      sends.push(this.bus.publish(channel, body));
    }
    await Promise.all(sends);
  }
}

