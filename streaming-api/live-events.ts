/** Live-only events the streaming node itself publishes (presence, typing): never stored, so they carry no id. */
import { flowChannel } from '../core/messaging/channels';
import type { Bus } from '../core/ports/bus';
import type { Presence } from '../core/ports/presence';

/** `active=true` / WS `presence {state:"active"}`: active; `idle`: online but idle. */
export type PresenceState = 'active' | 'idle';

/** The common shape of a live event, so that clients parse it like any message (spec §3). */
function liveEvent(event: string, flowId: string, userId: number, content: unknown, now: number) {
  return { event, content, user: String(userId), flow: flowId, sent: now, tags: [], uuid: null, attachments: [], app: null };
}

/**
 * `activity.user`: `content.last_activity` is present for an active user and absent for an idle
 * one (spec §3: "may be absent when idle").
 */
export function activityUserEvent(flowId: string, userId: number, state: PresenceState, now: number) {
  return liveEvent('activity.user', flowId, userId, state === 'active' ? { last_activity: now } : {}, now);
}

/** `typing`: someone is typing in the flow (WebSocket clients only send it). */
export function typingEvent(flowId: string, userId: number, now: number) {
  return liveEvent('typing', flowId, userId, null, now);
}

/** Records presence and publishes `activity.user` to each flow; failures are reported, not thrown (best effort). */
export async function publishPresence(
  deps: { bus: Bus; presence: Presence },
  flowIds: readonly string[],
  userId: number,
  state: PresenceState,
  onError: (error: unknown) => void,
): Promise<void> {
  const now = Date.now();
  await Promise.all(
    flowIds.map(async (flowId) => {
      try {
        await deps.presence.touch(flowId, userId, now);
        await deps.bus.publish(flowChannel(flowId), JSON.stringify(activityUserEvent(flowId, userId, state, now)));
      } catch (error) {
        onError(error);
      }
    }),
  );
}
