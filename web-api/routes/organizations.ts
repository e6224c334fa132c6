/** /organizations (spec §2.2): the caller's organizations and, for admins, their members. */
import { type Request, type Response, Router } from 'express';
import { removeOrganizationMember } from '../../core/actions/remove-organization-member';
import { renameOrganization } from '../../core/actions/rename-organization';
import { notFound } from '../../core/errors';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { organizationFindQuery } from '../http/schemas';
import { urlBase } from '../serializers/flow-views';
import { organizationJson, userJson } from '../serializers/json';

export function organizationRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const orgOf = async (req: Request, res: Response) => {
    const org = await deps.directory.organizationOf(callerOf(res).id, param(req, 'org'));
    if (!org) throw notFound('organization');
    return org;
  };

  r.get('/organizations', async (req, res) => {
    res.json((await deps.directory.organizationsOf(callerOf(res).id)).map((o) => organizationJson(o, urlBase(deps, req))));
  });
  r.get('/organizations/find', async (req, res) => {
    const { id } = parseInput(organizationFindQuery, req.query);
    const org = await deps.directory.organizationByIdOf(callerOf(res).id, id);
    if (!org) throw notFound('organization');
    res.json(organizationJson(org, urlBase(deps, req)));
  });
  r.get('/organizations/:org', async (req, res) => {
    res.json(organizationJson(await orgOf(req, res), urlBase(deps, req)));
  });
  r.put('/organizations/:org', async (req, res) => {
    res.json(organizationJson(await renameOrganization(deps, callerOf(res), param(req, 'org'), req.body), urlBase(deps, req)));
  });
  r.get('/organizations/:org/users', async (req, res) => {
    const org = await orgOf(req, res);
    res.json((await deps.directory.organizationMembers(org.id)).map((m) => ({ ...userJson(m), admin: m.admin })));
  });
  r.delete('/organizations/:org/users/:id', async (req, res) => {
    await removeOrganizationMember(deps, callerOf(res), param(req, 'org'), param(req, 'id'));
    res.status(204).end();
  });
  return r;
}
