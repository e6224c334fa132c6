/** addFlowMember: `POST …/users` — a member of the flow adds someone of its organization. */
import { z } from 'zod';
import type { User } from '../domain/types';
import { validationError } from '../errors';
import { parseInput } from '../validation';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { positiveId } from './inputs';

const addInput = z.object({ id: positiveId });

/** Adds user `raw.id` to the flow; they get `flow-add`, the flow `backend.user.join`. */
export async function addFlowMember(deps: Pick<ActionDeps, 'directory' | 'bus'>, caller: User, flowRef: FlowRef, raw: unknown): Promise<void> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'add-member');
  const { id } = parseInput(addInput, raw);
  // Only people of the flow's organization can be added.
  const added = (await deps.directory.organizationMembers(view.organization.id)).find((m) => m.id === id);
  if (!added) throw validationError({ id: ['is not a member of the organization'] });
  await deps.directory.addFlowMember(view.flow.id, id);
  await announceJoin(deps, view.flow, view.organization, added);
}
