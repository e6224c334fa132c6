/** StreamingContext: what both transports share (dependencies, hub, flush scheduler, keep-alive, open connections). */
import { type AuthenticatedCaller, type Authenticator, endsWithPasswordChange } from '../core/auth/authenticator';
import { AppError, unauthenticated } from '../core/errors';
import type { Log } from '../core/log';
import type { ActionDeps } from '../core/actions/deps';
import type { PostDeps } from '../core/actions/post-message';
import type { Metrics } from '../core/metrics';
import type { Bus } from '../core/ports/bus';
import type { Directory } from '../core/ports/directory';
import type { MessageStore } from '../core/ports/message-store';
import type { RateLimiter } from '../core/ports/rate-limiter';
import type { Presence } from '../core/ports/presence';
import { Connection, type ConnectionContext, type ConnectionHooks, type Sink } from './connection';
import { FlowAccessCache } from './flow-access-cache';
import { FlushScheduler } from './flush-scheduler';
import { FreshReads } from './fresh-reads';
import { GapFiller } from './gap-filler';
import { Hub } from './hub';
import { KeepAlive } from './keep-alive';
import type { StreamingOptions, StreamingOptionsInput } from './options';
import type { ResumeDeps } from './resume';
import { recheckLogins } from './login-recheck';
import { RevocationLog } from './revocation-log';
import { StringInterner } from './string-interner';

/** What the streaming service is built from; every part is an interface, so tests pass in-process ones. */
export interface StreamingDeps {
  directory: Directory;
  store: MessageStore;
  bus: Bus;
  authenticator: Pick<Authenticator, 'authenticate' | 'authenticateRequest' | 'forgetUser' | 'changedSince' | 'forgetEveryone' | 'gapSince'>;
  postDeps: PostDeps;
  /** Posts and typing frames spend the user's budget; absent in tests that do not limit. */
  rateLimiter?: RateLimiter;
  presence: Presence;
  metrics: Metrics;
  log: Log;
  options?: StreamingOptionsInput;
}

/** Who a connection is for, and what proved it (a password change ends some kinds: credential-changes.ts). */
export type StreamCaller = Pick<AuthenticatedCaller, 'user' | 'login' | 'checkedAt' | 'session' | 'passwordVersion'>;

/** Per-connection extras a transport may ask for. */
export type OpenConnectionOptions = ConnectionHooks;

export class StreamingContext {
  readonly hub: Hub;
  readonly scheduler: FlushScheduler;
  readonly keepAlive: KeepAlive;
  readonly gapFiller: GapFiller;
  readonly connections = new Set<Connection>();
  /** Open connections per user id, for the per-user cap. */
  private readonly perUser = new Map<number, number>();
  /** Revocations applied here lately, for subscriptions racing with one. */
  readonly revocations = new RevocationLog();
  /** Recent "may read" answers for subscriptions; dropped per user on a revocation (ADR 023). */
  readonly flowAccess: FlowAccessCache;
  /** Last ids of conversations for resumes: concurrent asks share a query that starts after them. */
  private readonly lastIds: FreshReads<number>;
  /** Set by close(): new requests and upgrades are refused. */
  closing = false;
  /** Shared by every connection of the node: nothing of it is made per connection (ADR 032). */
  private readonly connectionContext: ConnectionContext;
  private readonly strings = new StringInterner();

  constructor(
    readonly deps: StreamingDeps,
    readonly options: StreamingOptions,
  ) {
    const { metrics, log } = deps;
    this.scheduler = new FlushScheduler(options.flushSliceSize, (error) => log.error({ err: error }, 'stream flush failed'));
    this.hub = new Hub(deps.bus, this.scheduler, {
      // One sample per event per node, not per connection: the histogram costs nothing at fan-out.
      onEvent: (envelope) => {
        if (envelope.sent !== null) metrics.deliveryLatency.observe(Math.max(0, Date.now() - envelope.sent));
      },
      onBadPayload: (channel) => log.warn({ channel }, 'dropped a bus payload that is not a JSON object'),
    });
    this.keepAlive = new KeepAlive(options.keepAliveMs, this.connections);
    this.flowAccess = new FlowAccessCache(deps.directory, this.revocations);
    this.lastIds = new FreshReads((conversation) => deps.store.lastId(conversation));
    this.gapFiller = new GapFiller(deps.store, options.maxBackfill, (conversation, found) => {
      if (found) metrics.catchUpReplayed.inc(found);
      if (found !== 0) log.info({ conversation, replayed: found ?? 'too many' }, 'filling a gap in live events from the store');
    });
    this.connectionContext = this.buildConnectionContext();
  }

  /** What the core actions behind client frames need (posts, edits, presence, typing). */
  get actionDeps(): ActionDeps {
    const { directory, bus, presence, postDeps } = this.deps;
    return { ...postDeps, directory, bus, presence };
  }

  /** Dependencies of resumeChannel. */
  get resumeDeps(): ResumeDeps {
    return { store: this.deps.store, hub: this.hub, maxBackfill: this.options.maxBackfill, lastId: (conversation) => this.lastIds.read(conversation) };
  }

  /**
   * Registers a connection for `user` on `sink`; it unregisters itself when closed. Throws
   * UNAUTHENTICATED when the user's password changed after the caller was checked (its close-down,
   * credential-changes.ts, ran before this connection existed); a caller checked before a bus gap,
   * which may have hidden such a change, is let in and checked again at once (login-recheck.ts).
   * Throws RATE_LIMITED (429) when the
   * user already holds `maxConnectionsPerUser` on this node: one account must not be able to hold
   * a node's sockets and memory.
   */
  openConnection({ user, login, checkedAt, session, passwordVersion }: StreamCaller, sink: Sink, hooks?: OpenConnectionOptions): Connection {
    const { metrics } = this.deps;
    if (endsWithPasswordChange(login) && this.deps.authenticator.changedSince(user.id, checkedAt)) {
      throw unauthenticated('Your password changed while this connection opened: log in again');
    }
    const held = this.perUser.get(user.id) ?? 0;
    if (held >= this.options.maxConnectionsPerUser) {
      metrics.rateLimited.inc();
      throw new AppError('RATE_LIMITED', `Too many open streams for this user (limit ${this.options.maxConnectionsPerUser}); close one first`, undefined, 5);
    }
    this.perUser.set(user.id, held + 1);
    const connection = new Connection(user, sink, this.connectionContext, hooks, login, login === 'session' ? session : passwordVersion);
    this.connections.add(connection);
    metrics.connections.inc({ transport: sink.transport });
    // Not awaited (it never rejects): the connection opens now and is closed if the check finds the login ended.
    if (endsWithPasswordChange(login) && this.deps.authenticator.gapSince(checkedAt)) void recheckLogins(this, [connection]);
    return connection;
  }

  /** What every connection calls back into: built once, per node. */
  private buildConnectionContext(): ConnectionContext {
    const { metrics, log } = this.deps;
    return {
      hub: this.hub,
      scheduler: this.scheduler,
      sendBufferLimitBytes: this.options.sendBufferLimitBytes,
      intern: (value) => this.strings.intern(value),
      onDelivered: (events) => metrics.eventsDelivered.inc(events),
      fillGap: (conversation, after) => this.gapFiller.fill(conversation, after),
      onGap: (_conversation, filled) => metrics.streamGaps.inc({ outcome: filled === null ? 'resync' : 'filled' }),
      onSlowConsumer: ({ user, transport }) => {
        metrics.slowConsumersDropped.inc({ transport });
        log.info({ user: user.id, transport }, 'closed a slow consumer');
      },
      onClosed: (closed) => {
        const userId = closed.user.id;
        const left = (this.perUser.get(userId) ?? 1) - 1;
        if (left > 0) this.perUser.set(userId, left);
        else this.perUser.delete(userId);
        this.connections.delete(closed);
        metrics.connections.dec({ transport: closed.transport });
      },
    };
  }
}
