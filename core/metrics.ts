/** Prometheus metrics (prom-client): every metric Tributary exports, defined once on one registry per process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'tributary_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers }),
    queueDepth: new Gauge({ name: 'tributary_queue_depth', help: 'Entries waiting in each queue shard', labelNames: ['shard'], registers }),
    persistBatchSize: new Histogram({ name: 'tributary_persist_batch_size', help: 'Commands per persisted batch', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], registers }),
    persistLatency: new Histogram({ name: 'tributary_persist_latency_ms', help: 'Time to persist one batch (ms)', buckets: LATENCY_BUCKETS_MS, registers }),
    persistConflictRewrites: new Counter({ name: 'tributary_persist_conflict_rewrites_total', help: 'Batches of posts written again with their stored uuids looked up, after the store refused the batch as written first (a retry\'s uuid, or a stale cached id)', registers }),
    persistRefusedPosts: new Counter({ name: 'tributary_persist_refused_posts_total', help: 'Members\' posts the store refused when writing them: the member was blocked or removed, or the flow archived, after the edge admitted the post (ADR 035)', registers }),
    ackLatency: new Histogram({ name: 'tributary_ack_latency_ms', help: 'Time from enqueue to persisted reply at the edge (ms)', buckets: LATENCY_BUCKETS_MS, registers }),
    deliveryLatency: new Histogram({ name: 'tributary_delivery_latency_ms', help: 'Time from message sent to delivery to local subscribers (ms)', buckets: LATENCY_BUCKETS_MS, registers }),
    connections: new Gauge({ name: 'tributary_stream_connections', help: 'Open streaming connections', labelNames: ['transport'], registers }),
    slowConsumersDropped: new Counter({ name: 'tributary_slow_consumers_dropped_total', help: 'Connections closed for exceeding their send buffer', labelNames: ['transport'], registers }),
    eventsDelivered: new Counter({ name: 'tributary_events_delivered_total', help: 'Event frames handed to client connections', registers }),
    deadLettered: new Counter({ name: 'tributary_dead_lettered_total', help: 'Queue entries the store refused for good, set aside as dead letters', labelNames: ['shard'], registers }),
    deadLettersHeld: new Gauge({ name: 'tributary_dead_letters', help: 'Dead letters held, waiting for an operator to requeue or drop them', registers }),
    catchUpReplayed: new Counter({ name: 'tributary_stream_catch_up_replayed_total', help: 'Events read from the store to fill gaps in live events (per shared read, before fan-out)', registers }),
    streamGaps: new Counter({ name: 'tributary_stream_gaps_total', help: 'Gaps in a connection\'s live events: filled from the store, or answered with resync', labelNames: ['outcome'], registers }),
    shardsOwned: new Gauge({ name: 'tributary_shards_owned', help: 'Queue shards this backend worker owns', registers }),
    sourceRuns: new Counter({ name: 'tributary_source_runs_total', help: 'Runs of built-in sources by kind and outcome (ok, failed)', labelNames: ['type', 'outcome'], registers }),
    sourceItemsPosted: new Counter({ name: 'tributary_source_items_posted_total', help: 'Items built-in sources posted, by kind', labelNames: ['type'], registers }),
    sourcesHeld: new Gauge({ name: 'tributary_sources_held', help: 'Built-in sources this integration worker holds the lease of', registers }),
    mailSent: new Counter({ name: 'tributary_mail_sent_total', help: 'Mails the SMTP relay took from the outbox', registers }),
    mailAttemptsFailed: new Counter({ name: 'tributary_mail_attempts_failed_total', help: 'Delivery attempts the relay refused or could not be reached for (each is retried with backoff)', registers }),
    mailFailed: new Counter({ name: 'tributary_mail_failed_total', help: 'Mails given up on (MAIL_MAX_ATTEMPTS reached, or refused for good): state failed in mail_outbox', registers }),
    mailOutbox: new Gauge({ name: 'tributary_mail_outbox', help: 'Mails in the outbox by state (pending: waiting to go out; failed: given up on)', labelNames: ['state'], registers }),
    mentionNotices: new Counter({ name: 'tributary_mention_notices_total', help: 'Mentions settled by the mention mailer, by outcome (mailed, skipped, postponed)', labelNames: ['outcome'], registers }),
    rateLimited: new Counter({ name: 'tributary_rate_limited_total', help: 'Requests answered 429', registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
