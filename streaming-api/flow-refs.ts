/** Flow references of a stream request (`filter`, the path), resolved through the access gate. */
import { allowedFlowRefs } from '../core/access/flow-gate';
import type { Directory, FlowAccess } from '../core/ports/directory';

/** Most flows one stream may name, as many as one WebSocket subscribe frame. */
export const MAX_STREAM_FLOWS = 500;

/** Splits a `filter` query value (comma list; empty entries ignored). */
export function parseFilter(filter: string | undefined): string[] {
  if (!filter) return [];
  return [...new Set(filter.split(',').map((s) => s.trim()).filter(Boolean))];
}

/**
 * Resolves every reference to a flow the user may read, or reports the first one that is not
 * readable (missing, invisible, blocked, not joined: all alike, as in REST). Flows named twice
 * (by id and by path) come back once.
 */
export async function resolveFlowRefs(
  directory: Directory,
  userId: number,
  refs: readonly string[],
): Promise<{ flows: FlowAccess[]; missing: string | null }> {
  const views = await allowedFlowRefs(directory, userId, refs, 'read');
  const flows = new Map<string, FlowAccess>();
  for (let i = 0; i < refs.length; i++) {
    const view = views[i];
    if (!view) return { flows: [], missing: refs[i]! };
    flows.set(view.flow.id, view);
  }
  return { flows: [...flows.values()], missing: null };
}
