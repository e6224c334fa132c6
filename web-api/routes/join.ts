/**
 * An invitation's link, before user authentication (the token is the credential): `GET /join/:token`
 * says what it invites to (JSON, or a page with a password form for a browser), `POST` accepts it.
 */
import { Router } from 'express';
import { escapeHtml } from '../../core/escape-html';
import { acceptInvitation, type InvitationTarget, invitationByToken } from '../../core/actions/accept-invitation';
import type { WebApiDeps } from '../deps';
import { sendPage, wantsHtml } from '../http/html-page';
import { param } from '../http/params';
import { urlBase } from '../serializers/flow-views';


function targetJson(t: InvitationTarget) {
  return { email: t.invitation.email, flow: { id: t.flow.id, name: t.flow.name, organization: t.organization.name }, needs_password: t.existingUser === null };
}

export function joinRoutes(deps: WebApiDeps): Router {
  const r = Router();

  r.get('/join/:token', async (req, res) => {
    const target = await invitationByToken(deps, param(req, 'token'));
    if (!wantsHtml(req)) return void res.json(targetJson(target));
    const password = target.existingUser ? '' : '<label>Choose a password (8 characters or more) <input type="password" name="password" minlength="8" required></label> ';
    sendPage(res, `Join ${target.organization.name} / ${target.flow.name}`, `<p>Invitation for ${escapeHtml(target.invitation.email)}.</p><form method="post">${password}<button>Join the flow</button></form>`);
  });

  r.post('/join/:token', async (req, res) => {
    const { user, target } = await acceptInvitation(deps, param(req, 'token'), req.body);
    const app = `${urlBase(deps, req).api}/app/${target.organization.parameterizedName}/${target.flow.parameterizedName}`;
    if (wantsHtml(req)) return void sendPage(res, `You joined ${target.flow.name}`, `<p>Sign in as ${escapeHtml(user.email)} at <a href="${escapeHtml(app)}">${escapeHtml(app)}</a>.</p>`);
    res.json({ user: { id: user.id, email: user.email, nick: user.nick }, flow: targetJson(target).flow, web_url: app });
  });

  return r;
}
