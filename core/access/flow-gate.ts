/**
 * The access gate: looks a flow up with the caller's facts and asks the policy. Every entry point
 * (REST, HTTP streams, SSE resume, WebSocket subscribe/backfill/post, typing, presence) goes through here.
 */
import type { User } from '../domain/types';
import { forbidden, notFound } from '../errors';
import type { Directory, FlowAccess, FlowLocator } from '../ports/directory';
import { type Decision, decide, type FlowAction } from './flow-policy';

/** Throws the refusal as the API answers it: 404 for what the caller may not even see, else 403. */
export function enforce(decision: Decision): void {
  if (decision.allowed) return;
  throw decision.as === 'not-found' ? notFound('flow') : forbidden(decision.reason);
}

/** The flow if the caller may do `action` on it; null when not (missing and refused look alike). */
export async function allowedFlow(directory: Directory, userId: number, locator: FlowLocator, action: FlowAction): Promise<FlowAccess | null> {
  const access = await directory.flowAccess(userId, locator);
  return access && decide(access, action).allowed ? access : null;
}

/** The flow if the caller may do `action` on it; else throws 404 (cannot see it) or 403 (sees it, may not do that). */
export async function requireFlow(directory: Directory, userId: number, locator: FlowLocator, action: FlowAction): Promise<FlowAccess> {
  const access = await directory.flowAccess(userId, locator);
  if (!access) throw notFound('flow');
  enforce(decide(access, action));
  return access;
}

/** The caller's flows for which `action` is allowed: 'read' lists joined flows (GET /flows), 'see' adds joinable ones (/flows/all). */
export async function flowsAllowed(directory: Directory, userId: number, action: 'see' | 'read'): Promise<FlowAccess[]> {
  return (await directory.flowAccessList(userId)).filter((access) => decide(access, action).allowed);
}

/**
 * The flow a reference names as streaming clients write it (`org/flow`, legacy `org:flow`, or a flow
 * id), with the caller's facts; null when there is no such flow. The policy is not asked here.
 */
async function flowAccessByRef(directory: Directory, userId: number, ref: string): Promise<FlowAccess | null> {
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const slash = trimmed.indexOf('/');
  if (slash > 0) return directory.flowAccess(userId, { org: trimmed.slice(0, slash), flow: trimmed.slice(slash + 1) });
  // Ids come first: node-flowdock and hubot send ids, and ids never contain ':'.
  const byId = await directory.flowAccess(userId, { id: trimmed });
  if (byId) return byId;
  const colon = trimmed.indexOf(':');
  return colon > 0 ? directory.flowAccess(userId, { org: trimmed.slice(0, colon), flow: trimmed.slice(colon + 1) }) : null;
}

/** A streaming client's flow reference, resolved to a flow the caller may do `action` on; null otherwise. */
export async function allowedFlowRef(directory: Directory, userId: number, ref: string, action: FlowAction): Promise<FlowAccess | null> {
  const access = await flowAccessByRef(directory, userId, ref);
  return access && decide(access, action).allowed ? access : null;
}

/** Like {@link allowedFlowRef}, throwing as {@link requireFlow} does: 404 when it cannot be seen, else 403. */
export async function requireFlowRef(directory: Directory, userId: number, ref: string, action: FlowAction): Promise<FlowAccess> {
  const access = await flowAccessByRef(directory, userId, ref);
  if (!access) throw notFound('flow');
  enforce(decide(access, action));
  return access;
}

/** The ways a client names a flow: its id, `org/flow`, and the legacy `org:flow`. */
function refsOf(access: FlowAccess): string[] {
  const org = access.organization.parameterizedName;
  const flow = access.flow.parameterizedName;
  return [access.flow.id, `${org}/${flow}`, `${org}:${flow}`];
}

/**
 * Many flow references at once (a WebSocket subscribe, a stream's `filter`), each resolved to a
 * flow the caller may do `action` on, or null. One directory read whatever their number: every
 * flow the caller may read or see is in their access list, so a long list of names that do not
 * exist costs one query, not one per name.
 */
export async function allowedFlowRefs(directory: Directory, userId: number, refs: readonly string[], action: 'see' | 'read'): Promise<(FlowAccess | null)[]> {
  if (refs.length <= 1) return Promise.all(refs.map((ref) => allowedFlowRef(directory, userId, ref, action)));
  const byRef = new Map<string, FlowAccess>();
  for (const access of await flowsAllowed(directory, userId, action)) for (const ref of refsOf(access)) byRef.set(ref, access);
  return refs.map((ref) => byRef.get(ref.trim()) ?? null);
}

/**
 * The other side of a private conversation, if the caller may talk to (and read with) them:
 * somebody else who shares an organization with the caller. Null otherwise.
 */
export async function privatePeer(directory: Directory, callerId: number, otherId: number): Promise<User | null> {
  if (otherId === callerId || !Number.isSafeInteger(otherId) || otherId <= 0) return null;
  return directory.visibleUser(callerId, otherId);
}

/** Like {@link privatePeer}, throwing 404 `user not found`. */
export async function requirePrivatePeer(directory: Directory, callerId: number, otherId: number): Promise<User> {
  const peer = await privatePeer(directory, callerId, otherId);
  if (!peer) throw notFound('user');
  return peer;
}
