/** Streaming service options: defaults and up-front validation, so a bad value fails at start with a precise message. */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** Every tunable of the streaming service; all optional, see the defaults. */
export const streamingOptionsSchema = z.object({
  /** Bytes a connection may have queued + unsent in its socket before it is dropped as a slow consumer. */
  sendBufferLimitBytes: positiveInt.default(1024 * 1024),
  /** Idle time after which a keep-alive is written (HTTP) or a ping sent (WebSocket). */
  keepAliveMs: positiveInt.default(25_000),
  /** Most messages backfilled per conversation on resume; more missed means "resync". */
  maxBackfill: positiveInt.max(100_000).default(1000),
  /** How often `active=true|idle` streams re-publish `activity.user`. */
  presenceIntervalMs: positiveInt.default(60_000),
  /** How long an unauthenticated WebSocket may wait before sending its `auth` frame. */
  authTimeoutMs: positiveInt.default(10_000),
  /** Largest client WebSocket frame accepted (ws closes bigger ones with 1009). */
  maxPayloadBytes: positiveInt.default(64 * 1024),
  /** Connections flushed per event-loop turn; between slices other I/O gets a turn (p99 with 10 000 sockets). */
  flushSliceSize: positiveInt.default(500),
  /** After a slow consumer is told to close, how long it may take before its socket is destroyed. */
  slowConsumerGraceMs: positiveInt.default(2000),
  /** Open connections (WebSocket + HTTP stream) one user may hold on this node; one more is refused with 429. */
  maxConnectionsPerUser: positiveInt.default(20),
  /** Deepest nesting accepted in a WebSocket frame (a post's content is stored and re-serialized). */
  maxJsonDepth: positiveInt.default(32),
});

export type StreamingOptionsInput = z.input<typeof streamingOptionsSchema>;
export type StreamingOptions = z.output<typeof streamingOptionsSchema>;

/** Applies the defaults; throws an Error naming every bad option. */
export function resolveStreamingOptions(input: StreamingOptionsInput = {}): StreamingOptions {
  const result = streamingOptionsSchema.safeParse(input);
  if (!result.success) throw new Error(`invalid streaming options: ${z.prettifyError(result.error)}`);
  return result.data;
}
