/**
 * updateFlow: `PUT /flows/:org/:flow` — open or close the tab (opening joins, not an archived flow), rename, change the
 * access mode (leaving link mode turns the join link off: the store does it in the same write), archive.
 */
import { z } from 'zod';
import { enforce, requireFlow } from '../access/flow-gate';
import { decide, decideJoin, isActiveMember } from '../access/flow-policy';
import type { User } from '../domain/types';
import { flowUpdateEvent } from '../events/live-events';
import { publishEvent } from '../events/publish';
import type { FlowAccess } from '../ports/directory';
import { parseInput } from '../validation';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { accessMode, displayName, truthy } from './inputs';

const updateInput = z.object({ name: displayName.optional(), open: truthy.optional(), disabled: truthy.optional(), access_mode: accessMode.optional() });

/** Applies `raw` to the flow; resolves with the flow as the caller now sees it. */
export async function updateFlow(deps: Pick<ActionDeps, 'directory' | 'bus'>, caller: User, flowRef: FlowRef, raw: unknown): Promise<FlowAccess> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'set-open');
  const input = parseInput(updateInput, raw);
  // Every part is decided before anything is written: a refused part leaves the flow as it was.
  const changesSettings = input.name !== undefined || input.access_mode !== undefined;
  if (changesSettings) enforce(decide(view, 'change-settings'));
  if (input.disabled !== undefined) enforce(decide(view, 'archive'));
  const joined = isActiveMember(view);
  if (input.open === true && !joined) enforce(decideJoin(view.flow, view.membership));
  // `open:false` from someone who never joined changes nothing (it must not make them a member).
  if (input.open === true || (input.open === false && joined)) {
    await deps.directory.setFlowOpen(view.flow.id, caller.id, input.open);
    if (input.open && !joined) await announceJoin(deps, view.flow, view.organization, caller);
  }
  if (changesSettings || input.disabled !== undefined) {
    const flow = await deps.directory.updateFlow(view.flow.id, { name: input.name, disabled: input.disabled, accessMode: input.access_mode });
    await publishEvent(deps.bus, flowUpdateEvent(flow, caller.id, Date.now()));
  }
  return requireFlow(deps.directory, caller.id, { id: view.flow.id }, 'see');
}
