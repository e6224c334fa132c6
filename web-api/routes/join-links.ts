/** `GET/POST/DELETE /flows/:org/:flow/join_url` (spec §2.3): a flow's join link, for its members (docs/adr/030-join-links.md). */
import { type Request, type Response, Router } from 'express';
import { createJoinLink, type JoinLinkState, removeJoinLink, showJoinLink } from '../../core/actions/join-link';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { urlBase } from '../serializers/flow-views';
import { joinUrlOf } from '../serializers/json';

const PATH = '/flows/:org/:flow/join_url';
const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });

export function joinLinkRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const answer = (req: Request, res: Response, status: number, state: JoinLinkState) =>
    void res.status(status).json({ join_url: joinUrlOf(state.view, state.token, urlBase(deps, req)) });

  r.get(PATH, async (req, res) => answer(req, res, 200, await showJoinLink(deps, callerOf(res), at(req))));
  r.post(PATH, async (req, res) => answer(req, res, 201, await createJoinLink(deps, callerOf(res), at(req))));
  r.delete(PATH, async (req, res) => {
    await removeJoinLink(deps, callerOf(res), at(req));
    res.status(204).end();
  });
  return r;
}
