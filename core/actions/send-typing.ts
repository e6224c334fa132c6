/** sendTyping: tells a flow's readers that the caller is typing (live only, never stored). */
import type { User } from '../domain/types';
import { typingEvent } from '../events/live-events';
import { publishEvent } from '../events/publish';
import type { ActionDeps } from './deps';

/** `flowId` must be a flow the gate let the caller read (as for setPresence: no lookup per keystroke). */
export function sendTyping(deps: Pick<ActionDeps, 'bus'>, caller: User, flowId: string): Promise<void> {
  return publishEvent(deps.bus, typingEvent(flowId, caller.id, Date.now()));
}
