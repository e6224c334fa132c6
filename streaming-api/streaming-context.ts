/** StreamingContext: what both transports share (dependencies, hub, flush scheduler, keep-alive, open connections). */
import type { User } from '../core/domain/types';
import type { Authenticator } from '../core/auth/authenticator';
import type { Log } from '../core/log';
import type { PostDeps } from '../core/messaging/post-message';
import type { Metrics } from '../core/metrics';
import type { Bus } from '../core/ports/bus';
import type { Directory } from '../core/ports/directory';
import type { MessageStore } from '../core/ports/message-store';
import type { RateLimiter } from '../core/ports/rate-limiter';
import type { Presence } from '../core/ports/presence';
import { Connection, type Sink } from './connection';
import { FlushScheduler } from './flush-scheduler';
import { Hub } from './hub';
import { KeepAlive } from './keep-alive';
import type { StreamingOptions, StreamingOptionsInput } from './options';
import { RevocationLog } from './revocation-log';

/** What the streaming service is built from; every part is an interface, so tests pass in-process ones. */
export interface StreamingDeps {
  directory: Directory;
  store: MessageStore;
  bus: Bus;
  /** Only its `authenticate` is used, so a test may pass any object with it. */
  authenticator: Pick<Authenticator, 'authenticate'>;
  postDeps: PostDeps;
  /** Posts and typing frames spend the user's budget; absent in tests that do not limit. */
  rateLimiter?: RateLimiter;
  presence: Presence;
  metrics: Metrics;
  log: Log;
  options?: StreamingOptionsInput;
}

/** Per-connection extras a transport may ask for. */
export interface OpenConnectionOptions {
  encodeCursor?: (positions: Record<string, number>) => string;
  onClosed?: () => void;
  /** The connection was cut from these flows (access revoked); the transport drops them too. */
  onRevoked?: (flowIds: string[]) => void;
}

export class StreamingContext {
  readonly hub: Hub;
  readonly scheduler: FlushScheduler;
  readonly keepAlive: KeepAlive;
  readonly connections = new Set<Connection>();
  /** Revocations applied here lately, for subscriptions racing with one. */
  readonly revocations = new RevocationLog();
  /** Set by close(): new requests and upgrades are refused. */
  closing = false;

  constructor(
    readonly deps: StreamingDeps,
    readonly options: StreamingOptions,
  ) {
    const { metrics, log } = deps;
    this.hub = new Hub(deps.bus, {
      // One sample per event per node, not per connection: the histogram costs nothing at fan-out.
      onEvent: (envelope) => {
        if (envelope.sent !== null) metrics.deliveryLatency.observe(Math.max(0, Date.now() - envelope.sent));
      },
      onBadPayload: (channel) => log.warn({ channel }, 'dropped a bus payload that is not a JSON object'),
    });
    this.scheduler = new FlushScheduler(options.flushSliceSize, (error) => log.error({ err: error }, 'stream flush failed'));
    this.keepAlive = new KeepAlive(options.keepAliveMs);
  }

  /** Dependencies of resumeChannel. */
  get resumeDeps() {
    return { store: this.deps.store, maxBackfill: this.options.maxBackfill };
  }

  /** Registers a connection for `user` on `sink`; it unregisters itself when closed. */
  openConnection(user: User, sink: Sink, extra: OpenConnectionOptions = {}): Connection {
    const { metrics, log } = this.deps;
    const transport = sink.transport;
    const connection = new Connection(user, sink, {
      hub: this.hub,
      scheduler: this.scheduler,
      sendBufferLimitBytes: this.options.sendBufferLimitBytes,
      encodeCursor: extra.encodeCursor,
      onDelivered: (events) => metrics.eventsDelivered.inc(events),
      onSlowConsumer: () => {
        metrics.slowConsumersDropped.inc({ transport });
        log.info({ user: user.id, transport }, 'closed a slow consumer');
      },
      onClosed: (closed) => {
        this.connections.delete(closed);
        this.keepAlive.delete(closed);
        metrics.connections.dec({ transport });
        extra.onClosed?.();
      },
      onRevoked: (_connection, flowIds) => extra.onRevoked?.(flowIds),
    });
    this.connections.add(connection);
    this.keepAlive.add(connection);
    metrics.connections.inc({ transport });
    return connection;
  }
}
