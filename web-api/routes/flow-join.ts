/**
 * A flow's `join_url` (spec §2.3; docs/adr/029-mail-notifications.md): `/flows/:org/:flow/join`,
 * given on organization-mode flows, which anyone of the organization may join. A signed-in browser
 * gets a page with a Join button (a form carrying the session's CSRF token) that joins and goes on
 * to the flow in the app; API clients POST it. A browser without a session is told to sign in to
 * the app first; invitation-mode flows have no join_url: people come in through invitations.
 */
import { type Request, Router } from 'express';
import { updateFlow } from '../../core/actions/update-flow';
import { csrfTokenOf } from '../../core/auth/sessions';
import { readSessionCookie } from '../../core/auth/session-cookie';
import { escapeHtml } from '../../core/escape-html';
import type { WebApiDeps } from '../deps';
import { credentialsOf } from '../http/authenticate';
import { callerOf } from '../http/caller';
import { sendPage, wantsHtml } from '../http/html-page';
import { param } from '../http/params';
import { presentsUserCredentials } from '../../core/auth/request-credentials';
import { flowAt, presentFlow, urlBase } from '../serializers/flow-views';

const PATH = '/flows/:org/:flow/join';
const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });
const appUrl = (deps: WebApiDeps, req: Request) => `${urlBase(deps, req).api}/app/${encodeURIComponent(param(req, 'org'))}/${encodeURIComponent(param(req, 'flow'))}`;

/**
 * Before authentication: a browser with no credentials at all is asked to sign in rather than shown
 * a 401 body. That is also what a signed-in person sees on following the link from a mail or
 * another site, as the SameSite=Strict session cookie is not sent then; the page's own link back
 * here is a same-site navigation, which carries it.
 */
export function flowJoinSignInRoute(deps: WebApiDeps): Router {
  const r = Router();
  r.get(PATH, (req, res, next) => {
    if (presentsUserCredentials(credentialsOf(req)) || !wantsHtml(req)) return next();
    const app = appUrl(deps, req);
    const here = `${urlBase(deps, req).api}${req.baseUrl}${req.path}`;
    sendPage(res, 'Join this flow', `<p>Signed in to the app already? <a href="${escapeHtml(here)}">Continue to join</a>.</p><p>If not, sign in at <a href="${escapeHtml(app)}">${escapeHtml(app)}</a>, then continue.</p>`);
  });
  return r;
}

export function flowJoinRoutes(deps: WebApiDeps): Router {
  const r = Router();

  r.get(PATH, async (req, res) => {
    const me = callerOf(res);
    const view = await flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'set-open');
    const joined = view.membership?.inFlow === true;
    if (!wantsHtml(req)) return void res.json({ joined, flow: await presentFlow(deps, req, view, me.id, false) });
    if (joined) return void res.redirect(303, appUrl(deps, req));
    const session = readSessionCookie(req.headers.cookie);
    // A cookie-authenticated form POST proves it comes from this page with the session's CSRF token (web-api/http/authenticate.ts).
    const csrf = session ? `<input type="hidden" name="csrf_token" value="${escapeHtml(csrfTokenOf(session))}">` : '';
    sendPage(res, `Join ${view.organization.name} / ${view.flow.name}`, `<form method="post">${csrf}<button>Join the flow</button></form>`);
  });

  r.post(PATH, async (req, res) => {
    const me = callerOf(res);
    const view = await updateFlow(deps, me, at(req), { open: true });
    if (wantsHtml(req)) return void res.redirect(303, appUrl(deps, req));
    res.json(await presentFlow(deps, req, view, me.id, true));
  });

  return r;
}
