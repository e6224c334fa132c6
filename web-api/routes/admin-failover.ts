/**
 * /admin/failover: the app's failover page's API (docs/api.md, "Site administration";
 * docs/adr/017-markdown-and-site-admins.md), for site admins only. Anyone else gets exactly the
 * 404 of a path that does not exist (never 403): a probe learns nothing about who administers the site.
 */
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';

/** What the page says when this web-api has no failover managers to read. */
export const FAILOVER_NOT_CONFIGURED =
  'No failover managers are configured: this server has no ZOOKEEPER_CONNECT, so Redis runs without automatic failover ' +
  '(the embedded `npm start`, or a fixed REDIS_URL). Set ZOOKEEPER_CONNECT on the web-api nodes to the managers\' ZooKeeper to see them here.';

const promoteBody = z.object({ target: z.string().min(1, "can't be blank").max(300, 'is too long') });

export function adminFailoverRoutes(deps: WebApiDeps): Router {
  const r = Router();
  // Leaving the router sends a non-admin on to the server's own 404, word for word.
  const siteAdminsOnly: RequestHandler = async (_req, res, next) => next((await deps.directory.isSiteAdmin(callerOf(res).id)) ? undefined : 'router');
  r.use('/admin', siteAdminsOnly);

  r.get('/admin/failover', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!deps.failover) return void res.json({ configured: false, message: FAILOVER_NOT_CONFIGURED });
    let overview: Awaited<ReturnType<typeof deps.failover.overview>>;
    try {
      overview = await deps.failover.overview();
    } catch (err) {
      throw new AppError('UNAVAILABLE', `${(err as Error).message}; the page tries again every second`);
    }
    res.json({ configured: true, zookeeper: deps.failover.zookeeper, ...overview });
  });

  r.post('/admin/failover/promote', async (req, res) => {
    const { target } = parseInput(promoteBody, req.body);
    if (!deps.failover) throw new AppError('CONFLICT', FAILOVER_NOT_CONFIGURED);
    const outcome = await deps.failover.promote(target).catch((err: Error) => {
      throw new AppError('UNAVAILABLE', err.message);
    });
    if (outcome.kind === 'unknown-node') throw new AppError('VALIDATION_FAILED', outcome.message, { target: [outcome.message] });
    if (outcome.kind === 'already-master') return void res.json({ target, requested: false, message: `${target} is already the master (epoch ${outcome.epoch})` });
    deps.log.warn({ user: callerOf(res).email, target }, 'a site admin asked the failover managers to switch over');
    res.status(202).json({ target, requested: true, message: `asked the managers to switch over to ${target}` });
  });
  return r;
}
