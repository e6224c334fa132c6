/**
 * The one publish path: which channels each event goes to, and its bytes, serialized once. Every
 * producer (web-api actions, streaming nodes, the message backend) publishes through here.
 */
import { accessRevokedChannel, flowChannel, userChannel } from '../messaging/channels';
import type { Bus } from '../ports/bus';
import type { PublishedEvent, TributaryEvent } from './event-types';

/**
 * The bus channels of an event. Stored events go to their flow, or to both participants of a
 * private conversation; `flow-add` to the user who gained the flow; the revocation to the control
 * channel; every other live event to its flow. Who may subscribe to each channel is the access
 * gate's decision (docs/subsystems/events.md).
 */
export function channelsOf(event: PublishedEvent): string[] {
  switch (event.event) {
    case 'access-revoked':
      return [accessRevokedChannel];
    case 'flow-add':
      return [userChannel(event.user)];
    case 'activity.user':
    case 'typing':
    case 'flow-update':
    case 'backend.user.join':
    case 'backend.user.block':
    case 'user-edit':
      return [flowChannel(event.flow)];
    default:
      return storedEventChannels(event);
  }
}

function storedEventChannels(event: { flow?: string; to?: string; user: string }): string[] {
  if (event.flow) return [flowChannel(event.flow)];
  const to = Number(event.to);
  const from = Number(event.user);
  return [userChannel(from), ...(to !== from ? [userChannel(to)] : [])];
}

/** An event's JSON text: the one serialization, whatever the transport. */
export function encodeEvent(event: TributaryEvent): string {
  return JSON.stringify(event);
}

/**
 * Publishes the event to each of its channels, the same bytes to each. Every `publish` is issued
 * before this returns, so events published one after another reach the bus in that order.
 */
export function publishEvent(bus: Bus, event: PublishedEvent, text: string = encodeEvent(event)): Promise<void> {
  const payload = Buffer.from(text);
  return Promise.all(channelsOf(event).map((channel) => bus.publish(channel, payload))).then(() => undefined);
}
