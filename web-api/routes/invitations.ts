/** Invitations as members see and make them (spec §2.7): reads and changes through the flow gate, as every flow route. */
import { type Request, Router } from 'express';
import { importInvitations, inviteToFlow } from '../../core/actions/invite-to-flow';
import { notFound } from '../../core/errors';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { flowAt, urlBase } from '../serializers/flow-views';
import { invitationJson } from '../serializers/invitation-json';
import { userJson } from '../serializers/json';

export function invitationRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });
  /** An id that is no positive integer names no invitation: 404, as an unknown one. */
  const idOf = (req: Request) => {
    const id = Number(param(req, 'id'));
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
  };

  r.get('/flows/:org/:flow/invitations', async (req, res) => {
    const view = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'see');
    res.json((await deps.directory.invitations.pendingOfFlow(view.flow.id)).map((i) => invitationJson(i, view, urlBase(deps, req))));
  });

  r.get('/flows/:org/:flow/invitations/:id', async (req, res) => {
    const view = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'see');
    const invitation = await deps.directory.invitations.invitationOfFlow(view.flow.id, idOf(req));
    if (!invitation) throw notFound('invitation');
    res.json(invitationJson(invitation, view, urlBase(deps, req)));
  });

  r.post('/flows/:org/:flow/invitations/import', async (req, res) => {
    const base = urlBase(deps, req);
    const outcome = await importInvitations(deps, callerOf(res), at(req), req.body, base.api);
    res.json({
      invitations: outcome.invitations.map((i) => invitationJson(i, outcome.view, base)),
      added_users: outcome.addedUsers.map((u) => userJson(u)),
      erroneous_emails: outcome.erroneousEmails,
    });
  });

  r.post('/flows/:org/:flow/invitations', async (req, res) => {
    const base = urlBase(deps, req);
    const { invitation, view } = await inviteToFlow(deps, callerOf(res), at(req), req.body, base.api);
    res.status(201).json(invitationJson(invitation, view, base));
  });

  r.delete('/flows/:org/:flow/invitations/:id', async (req, res) => {
    // Withdrawing brings nobody in: any active member may, archived flow or not (unlike 'add-member').
    const view = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'change-settings');
    if (!(await deps.directory.invitations.deletePending(view.flow.id, idOf(req)))) throw notFound('pending invitation');
    res.status(204).end();
  });

  return r;
}
