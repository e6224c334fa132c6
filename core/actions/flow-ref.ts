/** How an action is told which flow: a locator (REST paths and ids) or a streaming client's free-form reference. */
import { requireFlow, requireFlowRef } from '../access/flow-gate';
import type { FlowAction } from '../access/flow-policy';
import type { Directory, FlowAccess, FlowLocator } from '../ports/directory';

/** `{id}` or `{org, flow}` (REST), or `{ref}`: `org/flow`, `org:flow` or an id (WebSocket, streams). */
export type FlowRef = FlowLocator | { ref: string };

/** The flow if the caller may do `action` on it; else throws 404 (cannot see it) or 403 (the gate decides). */
export function flowFor(directory: Directory, userId: number, flow: FlowRef, action: FlowAction): Promise<FlowAccess> {
  return 'ref' in flow ? requireFlowRef(directory, userId, flow.ref, action) : requireFlow(directory, userId, flow, action);
}
