/** /flows: list, all, find, show, create, update, and flow users (spec §2.3, §2.2). Reads ask the access gate; changes are core actions. */
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { flowsAllowed, requireFlow } from '../../core/access/flow-gate';
import { addFlowMember } from '../../core/actions/add-flow-member';
import { createFlow } from '../../core/actions/create-flow';
import { markRead } from '../../core/actions/mark-read';
import { truthy } from '../../core/actions/inputs';
import { setMemberBlocked } from '../../core/actions/set-member-blocked';
import { updateFlow } from '../../core/actions/update-flow';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { flowFindQuery } from '../http/schemas';
import { flowAt, flowUsersJson, presentFlow } from '../serializers/flow-views';

const listQuery = z.object({ users: truthy.optional() });

export function flowRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });

  const list = (joinable: boolean) => async (req: Request, res: Response) => {
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
    const view = await createFlow(deps, me, param(req, 'org'), req.body);
    res.status(201).json(await presentFlow(deps, req, view, me.id, true));
  });

  r.put('/flows/:org/:flow', async (req, res) => {
    const me = callerOf(res);
    res.json(await presentFlow(deps, req, await updateFlow(deps, me, at(req), req.body), me.id, true));
  });

  // Tributary's read marker (docs/api.md "Read markers"): Flowdock has none.
  r.put('/flows/:org/:flow/read', async (req, res) => {
    res.json(await markRead(deps, callerOf(res), { kind: 'flow', flow: at(req) }, req.body));
  });

  r.get('/flows/:org/:flow/users', async (req, res) => {
    const view = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'see');
    res.json(await flowUsersJson(deps, view.flow.id));
  });

  r.post('/flows/:org/:flow/users', async (req, res) => {
    await addFlowMember(deps, callerOf(res), at(req), req.body);
    res.json({});
  });

  r.put('/flows/:org/:flow/users/:id', async (req, res) => {
    await setMemberBlocked(deps, callerOf(res), at(req), param(req, 'id'), req.body);
    res.json({});
  });

  return r;
}
