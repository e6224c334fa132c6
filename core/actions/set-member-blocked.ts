/** setMemberBlocked: `PUT …/users/:id {disabled}` — block or unblock a member of a flow (the policy says who may). */
import { z } from 'zod';
import { enforce } from '../access/flow-gate';
import { decideMemberChange } from '../access/flow-policy';
import type { User } from '../domain/types';
import { parseInput } from '../validation';
import { announceJoin, announceLoss } from './announce-membership';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { positiveId, truthy } from './inputs';

const blockInput = z.object({ disabled: truthy });

/**
 * Blocks (`disabled: true`) or unblocks user `rawUserId` in the flow. A block cuts their live
 * connections from it at once; an unblock gives the flow back to them (`flow-add`) and them back
 * to the others (`backend.user.join`).
 */
export async function setMemberBlocked(deps: Pick<ActionDeps, 'directory' | 'bus' | 'presence'>, caller: User, flowRef: FlowRef, rawUserId: unknown, raw: unknown): Promise<void> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'see');
  const userId = parseInput(positiveId, rawUserId);
  const { disabled } = parseInput(blockInput, raw);
  const target = await deps.directory.organizationByIdOf(userId, view.organization.id);
  enforce(decideMemberChange(view, caller.id, { userId, orgRole: target ? (target.admin ? 'admin' : 'member') : null }, disabled));
  await deps.directory.setFlowMemberDisabled(view.flow.id, userId, disabled);
  if (disabled) return announceLoss(deps, userId, [view.flow.id]);
  const user = await deps.directory.userById(userId);
  if (user) await announceJoin(deps, view.flow, view.organization, user);
}
