/** /user and /users (spec §2.2): the caller, and the people the caller may see. */
import { Router } from 'express';
import { positiveId } from '../../core/actions/inputs';
import { setMentionMails } from '../../core/actions/set-mention-mails';
import { updateUser } from '../../core/actions/update-user';
import { notFound } from '../../core/errors';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { userJson } from '../serializers/json';

export function userRoutes(deps: WebApiDeps): Router {
  const r = Router();
  // `mention_mails` is Tributary's: whether the caller gets mention mails (docs/api.md).
  r.get('/user', async (_req, res) => {
    const me = callerOf(res);
    res.json({ ...userJson(me), mention_mails: await deps.mentionNotices.mailsOn(me.id) });
  });
  r.put('/user', async (req, res) => {
    const me = callerOf(res);
    res.json({ ...userJson(me), mention_mails: await setMentionMails(deps, me, req.body) });
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
    await updateUser(deps, callerOf(res), param(req, 'id'), req.body);
    res.json({});
  });
  return r;
}
