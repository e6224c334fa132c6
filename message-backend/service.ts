/** The message-backend service: the shard workers that persist the queue and publish; it serves only the ops routes. */
import { defineService } from '../core/service-descriptor';
import { createMessageBackend } from './create-message-backend';
import { MentionRecorder } from './mention-recorder';

export const messageBackendService = defineService({
  name: 'message-backend',
  summary: 'persists the queue and publishes the events',
  inAll: true,
  needs: ['queue', 'store', 'bus', 'leases', 'mentionNotices'],
  http: 'shared',
  async start({ parts, config, metrics, log }) {
    const mentions = new MentionRecorder(parts.mentionNotices, config.MENTION_QUIET_S * 1000);
    const backend = createMessageBackend({ ...parts, mentions, metrics, log }, { shardCount: config.SHARDS, maxBatch: config.BATCH_MAX });
    backend.start();
    return {
      readiness: { queue: async () => void (await parts.queue.depth(0)) },
      // Finishes the batch in hand and releases its leases.
      stop: () => backend.stop(),
    };
  },
});
