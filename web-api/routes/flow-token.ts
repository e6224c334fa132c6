/**
 * The routes a source's flow token authenticates (spec §1, §2.8, §5), before the user
 * authentication: `POST /messages`, `GET /sources` and `PUT /sources` when they carry a
 * `flow_token` (otherwise they fall through to the member routes), and the v1 push API whose path
 * holds the token(s). Each token spends its own rate-limit budget, as each user does.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { requireSourceToken } from '../../core/access/source-gate';
import { postAsSource } from '../../core/actions/post-as-source';
import { admitPushTokens, pushToChat, pushToTeamInbox } from '../../core/actions/push-v1';
import { updateSourceByToken } from '../../core/actions/update-source';
import { hashFlowToken } from '../../core/auth/flow-tokens';
import { enforceRateLimit } from '../../core/enforce-rate-limit';
import type { WebApiDeps } from '../deps';
import { param } from '../http/params';
import { urlBase } from '../serializers/flow-views';
import { sourceJson } from '../serializers/source-json';
import { sendPosted } from './messages';

/** The `flow_token` of a request: body first (JSON or form), then the query string. */
function flowTokenOf(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && 'flow_token' in body ? body.flow_token : req.query.flow_token;
}

/** The body without the token, so that it is never validated, stored or echoed as a post field. */
function withoutToken(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { flow_token: _token, ...rest } = body as Record<string, unknown>;
  return rest;
}

export function flowTokenRoutes(deps: WebApiDeps): Router {
  const r = Router();

  /** Spends one unit of the token's budget (keyed by a prefix of its hash, never the token). */
  const limit = async (res: Response, token: unknown): Promise<void> => {
    if (typeof token !== 'string') return;
    const decision = await enforceRateLimit(deps.rateLimiter, `flow-token:${hashFlowToken(token).slice(0, 16)}`, () => deps.metrics.rateLimited.inc());
    res.set('X-RateLimit-Remaining', String(decision.remaining));
  };

  /** Runs `handle` when the request carries a flow_token; else the member routes answer. */
  const withToken = (handle: (req: Request, res: Response, token: unknown) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    const token = flowTokenOf(req);
    if (token === undefined) return next();
    // No user: "0", as on the messages a token posts.
    res.set('Flowdock-User', '0');
    await limit(res, token);
    await handle(req, res, token);
  };

  r.post('/messages', withToken(async (req, res, token) => {
    const result = await postAsSource(deps, token, withoutToken(req.body));
    const { organization, flow } = result.admitted;
    sendPosted(res, result, `${urlBase(deps, req).api}/flows/${organization.parameterizedName}/${flow.parameterizedName}/messages`);
  }));

  r.get('/sources', withToken(async (req, res, token) => {
    const admitted = await requireSourceToken(deps.directory, token, 'read');
    const creator = admitted.source.creatorId === null ? null : await deps.directory.userById(admitted.source.creatorId);
    res.json([sourceJson(admitted.source, admitted, creator, urlBase(deps, req))]);
  }));

  r.put('/sources', withToken(async (req, res, token) => {
    const admitted = await requireSourceToken(deps.directory, token, 'read');
    const source = await updateSourceByToken(deps, admitted, withoutToken(req.body));
    const creator = source.creatorId === null ? null : await deps.directory.userById(source.creatorId);
    res.json(sourceJson(source, admitted, creator, urlBase(deps, req)));
  }));

  // v1 push: 200 `{}` as Flowdock answered, sent only once every flow's post is stored (503 + Retry-After otherwise).
  r.post('/messages/team_inbox/:tokens', async (req, res) => {
    res.set('Flowdock-User', '0');
    const admitted = await admitPushTokens(deps, param(req, 'tokens'), (token) => limit(res, token));
    await pushToTeamInbox(deps, admitted, req.body);
    res.json({});
  });

  r.post('/messages/chat/:tokens', async (req, res) => {
    res.set('Flowdock-User', '0');
    const admitted = await admitPushTokens(deps, param(req, 'tokens'), (token) => limit(res, token));
    await pushToChat(deps, admitted, req.body);
    res.json({});
  });

  return r;
}
