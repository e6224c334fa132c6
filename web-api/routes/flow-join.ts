/**
 * Following a flow's `join_url` (spec §2.3): an organization-mode flow's `/flows/:org/:flow/join`
 * (docs/adr/029-mail-notifications.md), which anyone of the organization may join, and a link-mode
 * flow's secret `/flows/:org/:flow/join/:token` (docs/adr/030-join-links.md), which whoever holds
 * the current link may join. A signed-in browser gets a page with a Join button (a form carrying the
 * session's CSRF token) that joins and goes on to the flow in the app; API clients POST it. A
 * browser without a session is told to sign in to the app first; invitation-mode flows have no
 * join_url: people come in through invitations.
 */
import { type Request, Router } from 'express';
import { enforce } from '../../core/access/flow-gate';
import { decideJoin, isActiveMember } from '../../core/access/flow-policy';
import { flowOfJoinLink, joinByLink } from '../../core/actions/join-by-link';
import { updateFlow } from '../../core/actions/update-flow';
import { csrfTokenOf } from '../../core/auth/sessions';
import { readSessionCookie } from '../../core/auth/session-cookie';
import { escapeHtml } from '../../core/escape-html';
import type { User } from '../../core/domain/types';
import type { FlowAccess } from '../../core/ports/directory';
import type { WebApiDeps } from '../deps';
import { credentialsOf } from '../http/authenticate';
import { callerOf } from '../http/caller';
import { sendPage, wantsHtml } from '../http/html-page';
import { param } from '../http/params';
import { presentsUserCredentials } from '../../core/auth/request-credentials';
import { flowAt, presentFlow, urlBase } from '../serializers/flow-views';

const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });
const appUrl = (deps: WebApiDeps, req: Request) => `${urlBase(deps, req).api}/app/${encodeURIComponent(param(req, 'org'))}/${encodeURIComponent(param(req, 'flow'))}`;

/** One way in: its path, how it finds the flow for the caller (404/403 when it may not), and how it joins them. */
interface JoinWay {
  path: string;
  find(deps: WebApiDeps, me: User, req: Request): Promise<FlowAccess>;
  join(deps: WebApiDeps, me: User, req: Request): Promise<FlowAccess>;
}

const JOIN_WAYS: JoinWay[] = [
  {
    path: '/flows/:org/:flow/join',
    find: (deps, me, req) => flowAt(deps, me.id, param(req, 'org'), param(req, 'flow'), 'set-open'),
    join: (deps, me, req) => updateFlow(deps, me, at(req), { open: true }),
  },
  {
    path: '/flows/:org/:flow/join/:token',
    find: (deps, me, req) => flowOfJoinLink(deps, me, at(req), param(req, 'token')),
    join: (deps, me, req) => joinByLink(deps, me, at(req), param(req, 'token')),
  },
];
const PATHS = JOIN_WAYS.map((way) => way.path);

/**
 * Before authentication: a browser with no credentials at all is asked to sign in rather than shown
 * a 401 body. That is also what a signed-in person sees on following the link from a mail or
 * another site, as the SameSite=Strict session cookie is not sent then; the page's own link back
 * here is a same-site navigation, which carries it.
 */
export function flowJoinSignInRoute(deps: WebApiDeps): Router {
  const r = Router();
  r.get(PATHS, (req, res, next) => {
    if (presentsUserCredentials(credentialsOf(req)) || !wantsHtml(req)) return next();
    const app = appUrl(deps, req);
    const here = `${urlBase(deps, req).api}${req.baseUrl}${req.path}`;
    sendPage(res, 'Join this flow', `<p>Signed in to the app already? <a href="${escapeHtml(here)}">Continue to join</a>.</p><p>If not, sign in at <a href="${escapeHtml(app)}">${escapeHtml(app)}</a>, then continue.</p>`);
  });
  return r;
}

export function flowJoinRoutes(deps: WebApiDeps): Router {
  const r = Router();
  for (const way of JOIN_WAYS) {
    r.get(way.path, async (req, res) => {
      const me = callerOf(res);
      const view = await way.find(deps, me, req);
      const joined = isActiveMember(view);
      // Refused before a page offers a button that could not work: blocked, or an archived flow.
      if (!joined) enforce(decideJoin(view.flow, view.membership));
      if (!wantsHtml(req)) return void res.json({ joined, flow: await presentFlow(deps, req, view, me.id, false) });
      if (joined) return void res.redirect(303, appUrl(deps, req));
      const session = readSessionCookie(req.headers.cookie);
      // A cookie-authenticated form POST proves it comes from this page with the session's CSRF token (web-api/http/authenticate.ts).
      const csrf = session ? `<input type="hidden" name="csrf_token" value="${escapeHtml(csrfTokenOf(session))}">` : '';
      sendPage(res, `Join ${view.organization.name} / ${view.flow.name}`, `<form method="post">${csrf}<button>Join the flow</button></form>`);
    });

    r.post(way.path, async (req, res) => {
      const me = callerOf(res);
      const view = await way.join(deps, me, req);
      if (wantsHtml(req)) return void res.redirect(303, appUrl(deps, req));
      res.json(await presentFlow(deps, req, view, me.id, true));
    });
  }
  return r;
}
