/** The message-backend service: the shard workers that persist the queue and publish; it serves only the ops routes. */
import { defineService } from '../core/service-descriptor';
import { createMessageBackend } from './create-message-backend';

export const messageBackendService = defineService({
  name: 'message-backend',
  summary: 'persists the queue and publishes the events',
  inAll: true,
  needs: ['queue', 'store', 'bus', 'leases'],
  http: 'shared',
  async start({ parts, config, metrics, log }) {
    const backend = createMessageBackend({ ...parts, metrics, log }, { shardCount: config.SHARDS, maxBatch: config.BATCH_MAX });
    backend.start();
    return {
      readiness: { queue: async () => void (await parts.queue.depth(0)) },
      // Finishes the batch in hand and releases its leases.
      stop: () => backend.stop(),
    };
  },
});
