/**
 * The REST API as an express router: body limits, authentication, rate limits, and the Flowdock
 * routes at the root and again under /v1. The HTTP edge around it (CORS, the request-line guard,
 * ops routes, 404 and the error handler) is the process's shared server's (cli/http-host.ts).
 */
import express, { type Router } from 'express';
import type { WebApiDeps } from './deps';
import { authenticate } from './http/authenticate';
import { adminFailoverRoutes } from './routes/admin-failover';
import { bodyDepthLimit } from './http/body-depth';
import { flowTokenRoutes } from './routes/flow-token';
import { uploadBodies } from './http/upload-bodies';
import { fileRoutes } from './routes/files';
import { flowRoutes } from './routes/flows';
import { messageRoutes } from './routes/messages';
import { organizationRoutes } from './routes/organizations';
import { privateRoutes } from './routes/private';
import { loginRoute, sessionRoutes } from './routes/session';
import { invitationRoutes } from './routes/invitations';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { flowJoinRoutes, flowJoinSignInRoute } from './routes/flow-join';
import { joinRoutes } from './routes/join';
import { joinLinkRoutes } from './routes/join-links';
import { sourceRoutes } from './routes/sources';
import { userRoutes } from './routes/users';

/** Mount at the root of a server that handles errors with web-api/http/error-handler.ts. */
export function createWebApi(deps: WebApiDeps): Router {
  const api = express.Router();
  const authenticated = authenticate(deps.authenticator, deps.rateLimiter, deps.metrics);
  // Before the general parsers: the routes that take file uploads authenticate, then parse their own (larger) bodies.
  api.use(uploadBodies(deps.files.maxBytes, deps.options.bodyLimit, authenticated));
  // Clients send `{}` with Content-Type JSON even on GET/DELETE (spec §0); any JSON value is parsed, then validated.
  api.use(express.json({ limit: deps.options.bodyLimit, strict: false, type: ['application/json', 'application/*+json'] }));
  const { maxDepth = 32, maxParams = 1000 } = deps.options;
  // `depth` is a body-parser 2 option its type definitions do not list yet (qs answers deeper forms with a 400 range error).
  const urlencodedOptions = { limit: deps.options.bodyLimit, extended: true, parameterLimit: maxParams, depth: maxDepth };
  api.use(express.urlencoded(urlencodedOptions));
  api.use(bodyDepthLimit(maxDepth));
  // Logging in is the one route before authentication; its failures are limited by the login guard.
  api.use(loginRoute(deps));
  // A source's flow token authenticates these instead of a user (spec §1); without one they fall through.
  api.use(flowTokenRoutes(deps));
  // An invitation's link: its token is the credential (the invitee has no account yet).
  api.use(joinRoutes(deps));
  api.use(unsubscribeRoutes(deps));
  api.use(flowJoinSignInRoute(deps));
  api.use(authenticated);
  api.use(sessionRoutes(deps), flowRoutes(deps), messageRoutes(deps), privateRoutes(deps), userRoutes(deps), organizationRoutes(deps), sourceRoutes(deps), invitationRoutes(deps), flowJoinRoutes(deps), joinLinkRoutes(deps), adminFailoverRoutes(deps), fileRoutes(deps));

  const root = express.Router();
  root.use('/v1', api);
  root.use(api);
  return root;
}
