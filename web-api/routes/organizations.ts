/** /organizations (spec §2.2): the caller's organizations and, for admins, their members. */
import { type Request, type Response, Router } from 'express';
import { forbidden, notFound } from '../../core/errors';
import { parseInput } from '../../core/validation';
import { urlBase } from '../actions/flows';
import { announceOrganizationRemoval } from '../actions/membership-events';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { nameBody, organizationFindQuery, positiveId } from '../http/schemas';
import { param } from '../http/params';
import { organizationJson, userJson } from '../serializers/json';

export function organizationRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const orgOf = async (req: Request, res: Response) => {
    const org = await deps.directory.organizationOf(callerOf(res).id, param(req, 'org'));
    if (!org) throw notFound('organization');
    return org;
  };
  const adminOrgOf = async (req: Request, res: Response) => {
    const org = await orgOf(req, res);
    if (!org.admin) throw forbidden('Only organization admins can do this');
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
    const org = await adminOrgOf(req, res);
    const { name } = parseInput(nameBody, req.body);
    await deps.directory.renameOrganization(org.id, name);
    res.json(organizationJson({ ...org, name }, urlBase(deps, req)));
  });
  r.get('/organizations/:org/users', async (req, res) => {
    const org = await orgOf(req, res);
    res.json((await deps.directory.organizationMembers(org.id)).map((m) => ({ ...userJson(m), admin: m.admin })));
  });
  r.delete('/organizations/:org/users/:id', async (req, res) => {
    const org = await adminOrgOf(req, res);
    const id = parseInput(positiveId, param(req, 'id'));
    if (!(await deps.directory.organizationMembers(org.id)).some((m) => m.id === id)) throw notFound('user');
    // Their flows there, as memberships, before the removal deletes them: each is revoked below.
    const lost = (await deps.directory.flowAccessList(id)).filter((f) => f.organization.id === org.id && f.membership !== null);
    await deps.directory.removeOrganizationMember(org.id, id);
    await announceOrganizationRemoval(deps, id, lost.map((f) => f.flow.id));
    res.status(204).end();
  });
  return r;
}
