/** /health (alive), /ready (dependencies answer) and /metrics (Prometheus) for every service. */
import { Router } from 'express';
import type { Metrics } from '../../core/metrics';

export type ReadinessCheck = () => Promise<void>;

export function opsRoutes(metrics: Metrics, checks: Record<string, ReadinessCheck>, isDraining: () => boolean): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/ready', async (_req, res) => {
    const results: Record<string, string> = {};
    let ready = !isDraining();
    for (const [name, check] of Object.entries(checks)) {
      try {
        await check();
        results[name] = 'ok';
      } catch (err) {
        ready = false;
        results[name] = (err as Error).message;
      }
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : isDraining() ? 'draining' : 'not ready', checks: results });
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
