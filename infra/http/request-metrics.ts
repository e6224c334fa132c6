/** Counts requests by route pattern (not raw path, to keep label cardinality bounded) and status. */
import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../../core/metrics';

export function requestMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route: String(route), status: String(res.statusCode) });
    });
    next();
  };
}
