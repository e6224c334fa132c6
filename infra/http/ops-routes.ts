/** /health (alive), /ready (each dependency's state) and /metrics (Prometheus) for every service. */
import { Router } from 'express';
import type { Metrics } from '../../core/metrics';
import type { DependencyCheck } from '../../core/service-descriptor';

/** Longest a probe may take: a stopped server (SIGSTOP) answers nothing, and /ready must still answer. */
const PROBE_TIMEOUT_MS = 1000;

/** One dependency as /ready shows it. */
export interface DependencyState {
  state: 'up' | 'down';
  /** Why it is down. */
  error?: string;
  /** Present (false) only for a dependency the process works without for a while. */
  required?: false;
}

/** Runs one probe within PROBE_TIMEOUT_MS. */
async function probe({ check, required }: DependencyCheck): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  const optional = required ? {} : { required: false as const };
  try {
    await Promise.race([check(), deadline]);
    return { state: 'up', ...optional };
  } catch (err) {
    return { state: 'down', error: (err as Error).message, ...optional };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/ready` probes every dependency at once and answers 503 when a required one is down (or the
 * process drains), naming each with its state: `{status, checks: {redis: {state: 'down', error}}}`.
 */
export function opsRoutes(metrics: Metrics, checks: Record<string, DependencyCheck>, isDraining: () => boolean): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/ready', async (_req, res) => {
    const names = Object.keys(checks);
    const states = await Promise.all(names.map((name) => probe(checks[name] as DependencyCheck)));
    const results = Object.fromEntries(names.map((name, i) => [name, states[i]]));
    const draining = isDraining();
    const ready = !draining && names.every((name, i) => !checks[name]?.required || states[i]?.state === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : draining ? 'draining' : 'not ready', checks: results });
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
