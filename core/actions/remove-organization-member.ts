/** removeOrganizationMember: `DELETE /organizations/:org/users/:id` — an admin removes someone, who loses the organization's flows at once. */
import type { User } from '../domain/types';
import { notFound } from '../errors';
import { parseInput } from '../validation';
import { announceLoss } from './announce-membership';
import type { ActionDeps } from './deps';
import { positiveId } from './inputs';
import { administeredOrganization } from './organization-admin';

/** Removes user `rawUserId` from organization `org` and from its flows; their live connections are cut from each. */
export async function removeOrganizationMember(deps: Pick<ActionDeps, 'directory' | 'bus' | 'presence'>, caller: User, org: string, rawUserId: unknown): Promise<void> {
  const organization = await administeredOrganization(deps, caller, org);
  const id = parseInput(positiveId, rawUserId);
  if (!(await deps.directory.organizationMembers(organization.id)).some((m) => m.id === id)) throw notFound('user');
  // Their flows there, as memberships, before the removal deletes them: each is revoked below.
  const lost = (await deps.directory.flowAccessList(id)).filter((f) => f.organization.id === organization.id && f.membership !== null);
  await deps.directory.removeOrganizationMember(organization.id, id);
  await announceLoss(deps, id, lost.map((f) => f.flow.id));
}
