/** createFlow: a new flow in one of the caller's organizations, with the caller as its first member. */
import { z } from 'zod';
import { requireFlow } from '../access/flow-gate';
import type { User } from '../domain/types';
import { notFound } from '../errors';
import type { FlowAccess } from '../ports/directory';
import { parseInput } from '../validation';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';
import { accessMode, displayName } from './inputs';

const createInput = z.object({ name: displayName, access_mode: accessMode.optional() });

/** Creates the flow named `raw.name` in organization `org` (parameterized name); the creator gets `flow-add`. */
export async function createFlow(deps: Pick<ActionDeps, 'directory' | 'bus'>, caller: User, org: string, raw: unknown): Promise<FlowAccess> {
  const organization = await deps.directory.organizationOf(caller.id, org);
  if (!organization) throw notFound('organization');
  const input = parseInput(createInput, raw);
  const flow = await deps.directory.createFlow(organization.id, input.name, input.access_mode, caller.id);
  const view = await requireFlow(deps.directory, caller.id, { id: flow.id }, 'read');
  await announceJoin(deps, flow, view.organization, caller);
  return view;
}
