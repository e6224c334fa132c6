/** removeOrganizationMember: `DELETE /organizations/:org/users/:id` — an admin removes someone, who loses the organization's flows at once. */
import type { User } from '../domain/types';
import { forbidden, notFound } from '../errors';
import { parseInput } from '../validation';
import { announceLoss } from './announce-membership';
import type { ActionDeps } from './deps';
import { positiveId } from './inputs';
import { administeredOrganization } from './organization-admin';

/** Removes user `rawUserId` from organization `org` and from its flows; their live connections are cut from each. */
export async function removeOrganizationMember(deps: Pick<ActionDeps, 'directory' | 'bus' | 'presence'>, caller: User, org: string, rawUserId: unknown): Promise<void> {
  const organization = await administeredOrganization(deps, caller, org);
  const id = parseInput(positiveId, rawUserId);
  const members = await deps.directory.organizationMembers(organization.id);
  const removed = members.find((m) => m.id === id);
  if (!removed) throw notFound('user');
  // An organization without an admin could only be repaired from the command line.
  if (removed.admin && members.filter((m) => m.admin).length === 1) throw forbidden('the last admin of an organization cannot be removed; make someone else an admin first');
  // Their flows there, as memberships, before the removal deletes them: each is revoked below.
  const lost = (await deps.directory.flowAccessList(id)).filter((f) => f.organization.id === organization.id && f.membership !== null);
  await deps.directory.removeOrganizationMember(organization.id, id);
  await announceLoss(deps, id, lost.map((f) => f.flow.id));
}
