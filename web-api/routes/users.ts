/** /user and /users (spec §2.2): the caller, and the people the caller may see. */
import { Router } from 'express';
import { z } from 'zod';
import { flowsAllowed } from '../../core/access/flow-gate';
import { forbidden, notFound } from '../../core/errors';
import { parseInput } from '../../core/validation';
import { announceUserEdit } from '../actions/membership-events';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { positiveId } from '../http/schemas';
import { param } from '../http/params';
import { userJson } from '../serializers/json';

const updateBody = z
  .object({
    nick: z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, _ and - only, at most 32').optional(),
    email: z.string().email().max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.nick !== undefined || b.email !== undefined || b.name !== undefined, { message: 'nothing to change', path: ['nick'] });

export function userRoutes(deps: WebApiDeps): Router {
  const r = Router();
  r.get('/user', (_req, res) => {
    res.json(userJson(callerOf(res)));
  });
  r.get('/users', async (_req, res) => {
    res.json((await deps.directory.visibleUsers(callerOf(res).id)).map(userJson));
  });
  r.get('/users/:id', async (req, res) => {
    const me = callerOf(res);
    const id = parseInput(positiveId, param(req, 'id'));
    const user = id === me.id ? me : await deps.directory.visibleUser(me.id, id);
    if (!user) throw notFound('user');
    res.json(userJson(user));
  });
  r.put('/users/:id', async (req, res) => {
    const me = callerOf(res);
    const id = parseInput(positiveId, param(req, 'id'));
    if (id !== me.id) {
      if (!(await deps.directory.visibleUser(me.id, id))) throw notFound('user');
      throw forbidden('You can only change your own account');
    }
    const updated = await deps.directory.updateUser(me.id, parseInput(updateBody, req.body));
    const flows = await flowsAllowed(deps.directory, me.id, 'read');
    await announceUserEdit(deps.bus, flows.map((f) => f.flow.id), updated);
    res.json({});
  });
  return r;
}
