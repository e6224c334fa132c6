/** renameOrganization: `PUT /organizations/:org` by one of its admins. No event: clients read the name with their flows. */
import type { Organization, User } from '../domain/types';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { nameBody } from './inputs';
import { administeredOrganization } from './organization-admin';

/** Renames organization `org` to `raw.name`; resolves with the organization as it now is. */
export async function renameOrganization(deps: Pick<ActionDeps, 'directory'>, caller: User, org: string, raw: unknown): Promise<Organization & { userCount: number }> {
  const organization = await administeredOrganization(deps, caller, org);
  const { name } = parseInput(nameBody, raw);
  await deps.directory.renameOrganization(organization.id, name);
  return { ...organization, name };
}
