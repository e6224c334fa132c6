/** The organizations an action may change: the caller's own, and only as its admin. */
import type { Organization, User } from '../domain/types';
import { forbidden, notFound } from '../errors';
import type { ActionDeps } from './deps';

/** Organization `org` (parameterized name) if the caller administers it; 404 when not theirs, 403 when not admin. */
export async function administeredOrganization(deps: Pick<ActionDeps, 'directory'>, caller: User, org: string): Promise<Organization & { userCount: number; admin: boolean }> {
  const organization = await deps.directory.organizationOf(caller.id, org);
  if (!organization) throw notFound('organization');
  if (!organization.admin) throw forbidden('Only organization admins can do this');
  return organization;
}
