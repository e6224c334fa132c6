/** /flows: list, all, find, show, create, update, and flow users (spec §2.3, §2.2). */
import { Router } from 'express';
import { z } from 'zod';
import { notFound, validationError } from '../../core/errors';
import { parseInput } from '../../core/validation';
import { flowUsersJson, presentFlow, visibleFlow } from '../actions/flows';
import { announceBlock, announceJoin } from '../actions/membership-events';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { flowFindQuery, positiveId, truthy } from '../http/schemas';
import { param } from '../http/params';

const accessMode = z.enum(['invitation', 'link', 'organization']);
const listQuery = z.object({ users: truthy.optional() });
const createBody = z.object({ name: z.string().trim().min(1, "can't be blank").max(100), access_mode: accessMode.optional() });
const updateBody = z.object({
  name: z.string().trim().min(1, "can't be blank").max(100).optional(),
  open: truthy.optional(),
  disabled: truthy.optional(),
  access_mode: accessMode.optional(),
});
const addUserBody = z.object({ id: positiveId });
const blockBody = z.object({ disabled: truthy });

export function flowRoutes(deps: WebApiDeps): Router {
  const r = Router();

  const list = (joinable: boolean) => async (req: import('express').Request, res: import('express').Response) => {
    const me = callerOf(res);
    const { users } = parseInput(listQuery, req.query);
    const views = await deps.directory.flowsOf(me.id, { joinable });
    res.json(await Promise.all(views.map((v) => presentFlow(deps, req, v, me.id, !!users))));
  };
  r.get('/flows', list(false));
  r.get('/flows/all', list(true));

  r.get('/flows/find', async (req, res) => {
    const me = callerOf(res);
    const { id } = parseInput(flowFindQuery, req.query);
    const view = await deps.directory.flowByIdOf(me.id, id);
    if (!view) throw notFound('flow');
    res.json(await presentFlow(deps, req, view, me.id, true));
  });

  r.get('/flows/:org/:flow', async (req, res) => {
    const me = callerOf(res);
    const view = await visibleFlow(deps, me.id, param(req, 'org'), param(req, 'flow'));
    res.json(await presentFlow(deps, req, view, me.id, true));
  });

  r.post('/flows/:org', async (req, res) => {
    const me = callerOf(res);
    const org = await deps.directory.organizationOf(me.id, param(req, 'org'));
    if (!org) throw notFound('organization');
    const body = parseInput(createBody, req.body);
    const flow = await deps.directory.createFlow(org.id, body.name, body.access_mode, me.id);
    const view = await deps.directory.flowByIdOf(me.id, flow.id);
    await announceJoin(deps.bus, flow, view!.organization, me);
    res.status(201).json(await presentFlow(deps, req, view!, me.id, true));
  });

  r.put('/flows/:org/:flow', async (req, res) => {
    const me = callerOf(res);
    const view = await visibleFlow(deps, me.id, param(req, 'org'), param(req, 'flow'));
    const body = parseInput(updateBody, req.body);
    if (body.open !== undefined) {
      await deps.directory.setFlowOpen(view.flow.id, me.id, body.open);
      if (body.open && !view.membership) await announceJoin(deps.bus, view.flow, view.organization, me);
    }
    if (body.name !== undefined || body.disabled !== undefined || body.access_mode !== undefined) {
      if (!view.membership) throw validationError({ flow: ['join the flow before changing it'] });
      await deps.directory.updateFlow(view.flow.id, { name: body.name, disabled: body.disabled, accessMode: body.access_mode });
    }
    const updated = await deps.directory.flowByIdOf(me.id, view.flow.id);
    if (!updated) throw notFound('flow');
    res.json(await presentFlow(deps, req, updated, me.id, true));
  });

  r.get('/flows/:org/:flow/users', async (req, res) => {
    const view = await visibleFlow(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'));
    res.json(await flowUsersJson(deps, view.flow.id));
  });

  r.post('/flows/:org/:flow/users', async (req, res) => {
    const me = callerOf(res);
    const view = await visibleFlow(deps, me.id, param(req, 'org'), param(req, 'flow'));
    if (!view.membership) throw notFound('flow');
    const { id } = parseInput(addUserBody, req.body);
    // Only people of the flow's organization can be added.
    const members = await deps.directory.organizationMembers(view.organization.id);
    const added = members.find((m) => m.id === id);
    if (!added) throw validationError({ id: ['is not a member of the organization'] });
    await deps.directory.addFlowMember(view.flow.id, id);
    await announceJoin(deps.bus, view.flow, view.organization, added);
    res.json({});
  });

  r.put('/flows/:org/:flow/users/:id', async (req, res) => {
    const me = callerOf(res);
    const view = await visibleFlow(deps, me.id, param(req, 'org'), param(req, 'flow'));
    if (!view.membership) throw notFound('flow');
    const userId = parseInput(positiveId, param(req, 'id'));
    const { disabled } = parseInput(blockBody, req.body);
    await deps.directory.setFlowMemberDisabled(view.flow.id, userId, disabled);
    if (disabled) await announceBlock(deps.bus, view.flow, userId);
    res.json({});
  });

  return r;
}
