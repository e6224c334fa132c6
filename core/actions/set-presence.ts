/** setPresence: records the caller as active or idle in flows they read and publishes `activity.user` to each. */
import type { User } from '../domain/types';
import { activityUserEvent, type PresenceState } from '../events/live-events';
import { publishEvent } from '../events/publish';
import type { ActionDeps } from './deps';

export type { PresenceState };

/**
 * `flowIds` must be flows the gate let the caller read (a transport's subscriptions, which a
 * revocation shrinks), so a keystroke-rate action asks the directory nothing. Best effort: each
 * flow's failure goes to `onError`, never thrown.
 */
export async function setPresence(
  deps: Pick<ActionDeps, 'bus' | 'presence'>,
  caller: User,
  flowIds: readonly string[],
  state: PresenceState,
  onError: (error: unknown) => void,
): Promise<void> {
  const now = Date.now();
  await Promise.all(
    flowIds.map(async (flowId) => {
      try {
        await deps.presence.touch(flowId, caller.id, now);
        await publishEvent(deps.bus, activityUserEvent(flowId, caller.id, state, now));
      } catch (error) {
        onError(error);
      }
    }),
  );
}
