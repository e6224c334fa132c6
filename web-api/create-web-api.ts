/**
 * The REST API as an express app: CORS, body limits, authentication, rate limits, the Flowdock
 * routes at the root and again under /v1, and one error handler. `mountBeforeAuth` lets the
 * single-process mode put the stream under /stream on the same port.
 */
import express, { type Express, type Router } from 'express';
import { requestGuard } from '../infra/http/request-guard';
import { requestMetrics } from '../infra/http/request-metrics';
import type { WebApiDeps } from './deps';
import { authenticate } from './http/authenticate';
import { bodyDepthLimit } from './http/body-depth';
import { cors } from './http/cors';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { flowRoutes } from './routes/flows';
import { messageRoutes } from './routes/messages';
import { organizationRoutes } from './routes/organizations';
import { privateRoutes } from './routes/private';
import { userRoutes } from './routes/users';

export function createWebApi(deps: WebApiDeps, extra: { ops: Router; mountBeforeAuth?: [string, Router][] }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestMetrics(deps.metrics));
  app.use(extra.ops);
  app.use(cors);
  app.use(requestGuard);
  for (const [path, router] of extra.mountBeforeAuth ?? []) app.use(path, router);

  const api = express.Router();
  // Clients send `{}` with Content-Type JSON even on GET/DELETE (spec §0); any JSON value is parsed, then validated.
  api.use(express.json({ limit: deps.options.bodyLimit, strict: false, type: ['application/json', 'application/*+json'] }));
  const { maxDepth = 32, maxParams = 1000 } = deps.options;
  // `depth` is a body-parser 2 option its type definitions do not list yet (qs answers deeper forms with a 400 range error).
  const urlencodedOptions = { limit: deps.options.bodyLimit, extended: true, parameterLimit: maxParams, depth: maxDepth };
  api.use(express.urlencoded(urlencodedOptions));
  api.use(bodyDepthLimit(maxDepth));
  api.use(authenticate(deps.authenticator, deps.rateLimiter, deps.metrics));
  api.use(flowRoutes(deps), messageRoutes(deps), privateRoutes(deps), userRoutes(deps), organizationRoutes(deps));

  app.use('/v1', api);
  app.use(api);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
