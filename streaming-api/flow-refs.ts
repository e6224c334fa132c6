/** Flow references as clients name them (`org/flow`, legacy `org:flow`, or a flow id), resolved through the caller's memberships. */
import type { Directory, FlowView } from '../core/ports/directory';

/**
 * The flow `ref` names, if the user may see it (a member, or an organization-mode flow of one of
 * their organizations); null otherwise, so that an invisible flow looks exactly like a missing one.
 */
export async function resolveFlowRef(directory: Directory, userId: number, ref: string): Promise<FlowView | null> {
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const slash = trimmed.indexOf('/');
  if (slash > 0) return directory.flowOf(userId, trimmed.slice(0, slash), trimmed.slice(slash + 1));
  // Ids come first: node-flowdock and hubot send ids, and ids never contain ':'.
  const byId = await directory.flowByIdOf(userId, trimmed);
  if (byId) return byId;
  const colon = trimmed.indexOf(':');
  return colon > 0 ? directory.flowOf(userId, trimmed.slice(0, colon), trimmed.slice(colon + 1)) : null;
}

/** Splits a `filter` query value (comma list; empty entries ignored). */
export function parseFilter(filter: string | undefined): string[] {
  if (!filter) return [];
  return [...new Set(filter.split(',').map((s) => s.trim()).filter(Boolean))];
}

/**
 * Resolves every reference, or reports the first one that is not visible. Flows named twice (by
 * id and by path) come back once.
 */
export async function resolveFlowRefs(
  directory: Directory,
  userId: number,
  refs: readonly string[],
): Promise<{ flows: FlowView[]; missing: string | null }> {
  const views = await Promise.all(refs.map((ref) => resolveFlowRef(directory, userId, ref)));
  const flows = new Map<string, FlowView>();
  for (let i = 0; i < refs.length; i++) {
    const view = views[i];
    if (!view) return { flows: [], missing: refs[i]! };
    flows.set(view.flow.id, view);
  }
  return { flows: [...flows.values()], missing: null };
}
