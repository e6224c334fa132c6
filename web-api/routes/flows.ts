/** /flows: list, all, find, show, create, update, and flow users (spec §2.3, §2.2); every action asks the access gate. */
import { Router } from 'express';
import { z } from 'zod';
import { notFound, validationError } from '../../core/errors';
import { parseInput } from '../../core/validation';
import { enforce, flowsAllowed, requireFlow } from '../../core/access/flow-gate';
import { decide, decideMemberChange, isActiveMember } from '../../core/access/flow-policy';
import { flowAt, flowUsersJson, presentFlow } from '../actions/flows';
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
    const flows = await flowsAllowed(deps.directory, me.id, joinable ? 'see' : 'read');
    res.json(await Promise.all(flows.map((v) => presentFlow(deps, req, v, me.id, !!users))));
  };
  r.get('/flows', list(false));
  r.get('/flows/all', list(true));

  r.get('/flows/find', async (req, res) => {
    const me = callerOf(res);
    const { id } = parseInput(flowFindQuery, req.query);
    res.json(await presentFlow(deps, req, await requireFlow(deps.directory, me.id, { id }, 'see'), me.id, true));
  });

  r.get('/flows/:org/:flow', async (req, res) => {
    const me = callerOf(res);
    const view = await flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'see');
    res.json(await presentFlow(deps, req, view, me.id, true));
  });

  r.post('/flows/:org', async (req, res) => {
    const me = callerOf(res);
    const org = await deps.directory.organizationOf(me.id, param(req, 'org'));
    if (!org) throw notFound('organization');
    const body = parseInput(createBody, req.body);
    const flow = await deps.directory.createFlow(org.id, body.name, body.access_mode, me.id);
    const view = await requireFlow(deps.directory, me.id, { id: flow.id }, 'read');
    await announceJoin(deps.bus, flow, view.organization, me);
    res.status(201).json(await presentFlow(deps, req, view, me.id, true));
  });

  r.put('/flows/:org/:flow', async (req, res) => {
    const me = callerOf(res);
    const view = await flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'set-open');
    const body = parseInput(updateBody, req.body);
    // Every part is decided before anything is written: a refused part leaves the flow as it was.
    if (body.name !== undefined || body.access_mode !== undefined) enforce(decide(view, 'change-settings'));
    if (body.disabled !== undefined) enforce(decide(view, 'archive'));
    const joined = isActiveMember(view);
    // `open:false` from someone who never joined changes nothing (it must not make them a member).
    if (body.open === true || (body.open === false && joined)) {
      await deps.directory.setFlowOpen(view.flow.id, me.id, body.open);
      if (body.open && !joined) await announceJoin(deps.bus, view.flow, view.organization, me);
    }
    if (body.name !== undefined || body.disabled !== undefined || body.access_mode !== undefined) {
      await deps.directory.updateFlow(view.flow.id, { name: body.name, disabled: body.disabled, accessMode: body.access_mode });
    }
    res.json(await presentFlow(deps, req, await requireFlow(deps.directory, me.id, { id: view.flow.id }, 'see'), me.id, true));
  });

  r.get('/flows/:org/:flow/users', async (req, res) => {
    const view = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'see');
    res.json(await flowUsersJson(deps, view.flow.id));
  });

  r.post('/flows/:org/:flow/users', async (req, res) => {
    const me = callerOf(res);
    const view = await flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'add-member');
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
    const view = await flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'see');
    const userId = parseInput(positiveId, param(req, 'id'));
    const { disabled } = parseInput(blockBody, req.body);
    const target = await deps.directory.organizationByIdOf(userId, view.organization.id);
    enforce(decideMemberChange(view, me.id, { userId, orgRole: target ? (target.admin ? 'admin' : 'member') : null }, disabled));
    await deps.directory.setFlowMemberDisabled(view.flow.id, userId, disabled);
    if (disabled) await announceBlock(deps, view.flow, userId);
    else {
      // Unblocked: the flow comes back to them (flow-add), and the others see them again.
      const user = await deps.directory.userById(userId);
      if (user) await announceJoin(deps.bus, view.flow, view.organization, user);
    }
    res.json({});
  });

  return r;
}
