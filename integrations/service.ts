/** The integrations service: workers that run the built-in sources (RSS, …) under leases (docs/subsystems/integrations.md). */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { secretKeyFrom } from '../core/integrations/source-secrets';
import { defineService } from '../core/service-descriptor';
import { AddressGuard } from './outbound/address-guard';
import { sourceRunners } from './source-runners';
import { IntegrationWorker } from './worker/integration-worker';

export const integrationsService = defineService({
  name: 'integrations',
  summary: 'runs the built-in sources (RSS feeds, Twitter searches) under leases',
  inAll: true,
  needs: ['directory', 'store', 'ingress', 'sourceRuns'],
  http: 'shared',
  async start({ parts, config, log, metrics }) {
    const worker = new IntegrationWorker({ ...parts, runs: parts.sourceRuns, log, metrics }, sourceRunners(config), {
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: config.SOURCE_LEASE_S * 1000,
      minIntervalS: config.SOURCE_MIN_INTERVAL_S,
      backoffMaxS: config.SOURCE_BACKOFF_MAX_S,
      ...(config.SOURCE_SECRET_KEY ? { secretKey: secretKeyFrom(config.SOURCE_SECRET_KEY) } : {}),
      outbound: {
        guard: new AddressGuard(config.OUTBOUND_ALLOW),
        limits: {
          timeoutMs: config.SOURCE_FETCH_TIMEOUT_MS,
          maxBytes: config.SOURCE_MAX_FEED_BYTES,
          ...(config.OUTBOUND_CA_FILE ? { ca: readFileSync(config.OUTBOUND_CA_FILE, 'utf8') } : {}),
        },
        breakerOpenMs: config.SOURCE_BREAKER_OPEN_S * 1000,
      },
    });
    worker.start();
    // Finishes the runs in hand and releases its leases, so another worker takes over at once.
    return { stop: () => worker.stop() };
  },
});
