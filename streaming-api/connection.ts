/** Connection: one streaming client, whatever its transport: its send queue, resume cursors, slow-consumer guard. */
import type { LoginKind } from '../core/auth/authenticator';
import { isPrivateConversation, type MessageJson, type User } from '../core/domain/types';
import { encodeEvent } from '../core/events/publish';
import { asStoredEvent } from '../core/events/stored-events';
import { flowChannel, flowIdOfChannel } from '../core/messaging/channels';
import { ConversationCursors, type CursorState } from './conversation-cursors';
import type { Envelope } from './envelope';
import type { EnvelopeBatch } from './envelope-batch';
import type { FlushScheduler } from './flush-scheduler';
import type { Hub, HubMember } from './hub';
import { SmallMap } from './small-map';

/**
 * One queued write: an event (its shared bus bytes), a control frame made for this connection, or
 * a channel's whole batch of one flush, written as the batch's shared bytes (ADR 023).
 */
export type Outgoing =
  | {
      readonly kind: 'event';
      readonly body: Buffer;
      /** SSE only: the resume cursor as of this event (events with an id). */
      readonly cursor?: string;
    }
  | {
      readonly kind: 'control';
      readonly body: Buffer;
      /** Their `type`, for transports that name events (SSE). */
      readonly type: string;
    }
  | { readonly kind: 'batch'; readonly batch: EnvelopeBatch };

/** Bytes an item adds to the send queue. */
const sizeOf = (item: Outgoing) => (item.kind === 'batch' ? item.batch.byteLength : item.body.length);

/** Why a connection is closed; transports map this to a WebSocket close code or to ending the response. */
export type CloseReason = 'slow consumer' | 'too far behind' | 'server shutting down' | 'client gone' | 'keep-alive timeout' | 'unauthenticated' | 'access revoked' | 'credentials changed';

/** The transport under a connection. Every method must be safe to call after the socket died. */
export interface Sink {
  readonly transport: 'ws' | 'http' | 'irc';
  /** Bytes accepted for the socket but not yet sent to the peer. */
  bufferedBytes(): number;
  /** Writes all items in order, in one socket write (corked when they are several chunks). */
  write(items: readonly Outgoing[]): void;
  /** Idle keep-alive: lone "\n" (JSON), ":\n\n" (SSE) or a ping (WebSocket). */
  keepAlive(): void;
  close(reason: CloseReason): void;
}

/**
 * What every connection of a node shares: one object for the node, not one per connection, since an
 * idle connection must cost little (ADR 032). What differs per connection is in {@link ConnectionHooks}.
 */
export interface ConnectionContext {
  hub: Hub;
  scheduler: FlushScheduler;
  sendBufferLimitBytes: number;
  /** One shared copy of a channel name or label, kept by every connection on it. */
  intern(value: string): string;
  /** Called for every event flushed (metrics), with the number of event frames. */
  onDelivered(events: number): void;
  onSlowConsumer(connection: Connection): void;
  /** Called once, when the connection is closed for any reason (before its hooks' onClosed). */
  onClosed(connection: Connection): void;
  /**
   * The stored messages of a conversation after id `after` (oldest first), to fill a gap in what
   * the bus delivered; null when they cannot be had (too many, or the store failed).
   */
  fillGap(conversation: string, after: number): Promise<readonly Envelope[] | null>;
  /** A gap was filled (`filled` messages) or had to be answered with a resync (`filled` null). */
  onGap?(conversation: string, filled: number | null): void;
}

/** What a transport hooks into its connection; a transport object may implement it itself (WsSession does). */
export interface ConnectionHooks {
  /** SSE: attach the cursor to every event with an id. */
  readonly encodeCursor?: (positions: Record<string, number>) => string;
  /** Called once, when the connection is closed for any reason. */
  onClosed?(): void;
  /** Called after {@link Connection.revokeFlows} cut flows, so the transport drops them too (presence, its flow list). */
  onRevoked?(flowIds: string[]): void;
}

const NO_HOOKS: ConnectionHooks = Object.freeze({});

/**
 * Hub member for one client. Deliveries are queued and written on the scheduler's next flush;
 * when queued plus unsent bytes pass the limit the connection is closed at once (a slow client
 * never holds memory or time that the others need) and it resumes from its cursor on reconnect.
 */
export class Connection implements HubMember {
  readonly cursors = new ConversationCursors();
  /** Channels the connection is on (or joining), each with the transport's label for it (WebSocket: the flow's `org/flow` path). */
  private readonly channels = new SmallMap<string>();
  private queue: Outgoing[] = [];
  private queuedBytes = 0;
  /** Extra room for a backfill, which lands all at once; reset as soon as the client catches up. */
  private allowance = 0;
  private ready = false;
  private closed = false;
  private lastWriteAt = Date.now();

  constructor(
    readonly user: User,
    private readonly sink: Sink,
    private readonly context: ConnectionContext,
    private readonly hooks: ConnectionHooks = NO_HOOKS,
    /** What authenticated it (a password change ends some kinds: credential-changes.ts). */
    readonly login?: LoginKind,
    /** What to check it by again after a bus gap (login-recheck.ts): the app session's secret, or the password's version. */
    readonly loginProof?: string | number,
  ) {}

  get transport(): 'ws' | 'http' | 'irc' {
    return this.sink.transport;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Until ready (HTTP: before the 200 head is written) output is queued but not written. */
  markReady(): void {
    this.ready = true;
    if (this.queue.length) this.context.scheduler.mark(this);
  }

  async join(channel: string, label = ''): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    const name = this.context.intern(channel);
    this.channels.set(name, this.context.intern(label));
    await this.context.hub.join(name, this);
  }

  async leave(channel: string): Promise<void> {
    if (this.channels.delete(channel)) await this.context.hub.leave(channel, this);
  }

  /** Flows whose channel the connection is on (or joining). */
  watchedFlows(): string[] {
    return [...this.channels.keys()].map(flowIdOfChannel).filter((id) => id !== null);
  }

  /** True while the connection is on `channel` (or joining it). */
  watches(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** The label `channel` was joined with; undefined when the connection is not on it. */
  labelOf(channel: string): string | undefined {
    return this.channels.get(channel);
  }

  /**
   * Access to the flows was lost: from now on nothing of theirs is delivered (the hub forgets this
   * member synchronously, live events held for a backfill are dropped with the cursor). Returns
   * the flows this connection was watching; the transport is told through `onRevoked`.
   */
  revokeFlows(flowIds: readonly string[]): string[] {
    const cut = flowIds.filter((id) => this.channels.has(flowChannel(id)));
    for (const id of cut) {
      this.cursors.forget(id);
      void this.leave(flowChannel(id));
    }
    if (cut.length) this.hooks.onRevoked?.(cut);
    return cut;
  }

  /**
   * From the hub: a channel's events of one flush. When they are exactly the next ids of their
   * conversation (the steady state) they are queued as the shared batch, whose bytes every
   * subscriber writes as they are; otherwise (a hold, a gap, duplicates, SSE cursors per event)
   * each goes through {@link deliver}.
   */
  deliverBatch(batch: EnvelopeBatch): void {
    if (this.closed) return;
    if (!this.hooks.encodeCursor && this.cursors.admitBatch(batch)) this.push({ kind: 'batch', batch });
    else for (const envelope of batch.envelopes) this.deliver(envelope);
  }

  /** A live event. One that skips ids holds its conversation until the gap is filled. */
  deliver(envelope: Envelope): void {
    if (this.closed) return;
    const admission = this.cursors.admit(envelope);
    if (admission === 'send') this.enqueueEvent(envelope);
    else if (admission === 'gap') void this.fillGap(envelope.conversation!, this.cursors.stateOf(envelope.conversation!)!);
  }

  /**
   * After a bus gap: sends what the store holds beyond what this connection has sent, through the
   * same hold and fill as a gap noticed live. Too far behind: closed, to resume on reconnect.
   */
  catchUp(conversation: string): void {
    const state = this.cursors.stateOf(conversation);
    if (this.closed || !state || state.pending || state.last < 0) return;
    state.pending = [];
    void this.fillGap(conversation, state);
  }

  /**
   * Ends a hold (after a backfill or a gap fill) at `last`, the newest id the client now has:
   * queues the held events, and fills again if they themselves skip an id.
   */
  releaseHeld(conversation: string, state: CursorState, last: number): void {
    const { events, gap } = this.cursors.release(conversation, state, last);
    for (const envelope of events) this.enqueueEvent(envelope);
    if (gap) void this.fillGap(conversation, state);
  }

  /**
   * Reads what the bus lost from the store and sends it before the held events. When it cannot
   * (too far behind, the store failed) the client gets `resync` (refetch through REST up to
   * `last_id`) and the held events follow, so it never waits on a gap that will not be filled.
   */
  private async fillGap(conversation: string, state: CursorState, attempt = 1): Promise<void> {
    const missed = await this.context.fillGap(conversation, state.last).catch(() => null);
    if (this.closed || !this.cursors.isCurrent(conversation, state) || !state.pending) return;
    if (missed === null && state.pending.length === 0) return this.close('too far behind');
    // The newest id the client must have before the first held event; nothing held: anything new.
    const beforeHeld = state.pending.length ? state.pending[0]!.id! - 1 : -1;
    for (const envelope of missed ?? []) if (envelope.id! > state.last) this.pushBackfill(envelope.bytes, envelope.id!, state);
    if (state.last >= beforeHeld) {
      this.context.onGap?.(conversation, missed?.length ?? 0);
      this.releaseHeld(conversation, state, state.last);
      return;
    }
    // A read shared with another connection may have started before the held event was stored
    // (it is stored before it is published): read once more before giving up.
    if (missed && attempt < 3) return this.fillGap(conversation, state, attempt + 1);
    this.context.onGap?.(conversation, null);
    this.sendResync(conversation, beforeHeld);
    this.releaseHeld(conversation, state, beforeHeld);
  }

  private sendResync(conversation: string, lastId: number): void {
    const where = isPrivateConversation(conversation) ? { conversation } : { flow: conversation };
    this.sendControl({ type: 'resync', ...where, reason: 'missed events', last_id: lastId });
  }

  /** A live event that passed the cursors (drained after a backfill). */
  enqueueEvent(envelope: Envelope): void {
    this.push({ kind: 'event', body: envelope.bytes, ...this.cursorOf(envelope.id) });
  }

  /** A stored message sent by a backfill: serialized here, once, for this connection only. */
  enqueueBackfill(message: MessageJson, state: { last: number }): void {
    this.pushBackfill(Buffer.from(encodeEvent(asStoredEvent(message))), message.id, state);
  }

  /** Backfilled bytes land all at once: they get room beyond the send-buffer limit until sent. */
  private pushBackfill(body: Buffer, id: number, state: { last: number }): void {
    state.last = id;
    this.allowance += body.length;
    this.push({ kind: 'event', body, ...this.cursorOf(id) });
  }

  /** A control frame (`{type: ...}`) for this client; transports without control frames skip it. */
  sendControl(frame: { type: string } & Record<string, unknown>): void {
    this.push({ kind: 'control', type: frame.type, body: Buffer.from(JSON.stringify(frame)) });
  }

  /** Called by the shared keep-alive timer: writes a keep-alive only after `idleMs` of silence. */
  keepAliveTick(now: number, idleMs: number): void {
    if (this.closed || !this.ready || now - this.lastWriteAt < idleMs) return;
    this.lastWriteAt = now;
    this.sink.keepAlive();
  }

  flush(now = Date.now()): void {
    if (this.closed || !this.ready || this.queue.length === 0) return;
    const items = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.sink.write(items);
    this.lastWriteAt = now;
    let events = 0;
    for (const item of items) events += item.kind === 'batch' ? item.batch.size : item.kind === 'event' ? 1 : 0;
    if (events) this.context.onDelivered(events);
  }

  /** Closes the transport and leaves every channel; idempotent. */
  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.sink.close(reason);
    for (const channel of this.channels.keys()) void this.context.hub.leave(channel, this);
    this.channels.clear();
    this.context.onClosed(this);
    this.hooks.onClosed?.();
  }

  /**
   * Slow means the socket itself is backed up (unsent bytes in user space: the kernel buffer is
   * full) and that plus this turn's queue passes the limit. A burst queued within one turn to a
   * socket that keeps up is not slowness; it is still capped, at four times the limit.
   */
  private overLimit(): boolean {
    const limit = this.context.sendBufferLimitBytes;
    if (this.queuedBytes > 4 * limit + this.allowance) return true;
    const unsent = this.sink.bufferedBytes();
    const total = this.queuedBytes + unsent;
    if (total <= limit) this.allowance = 0;
    return unsent > 0 && total > limit + this.allowance;
  }

  private cursorOf(id: number | null): { cursor?: string } {
    const encode = this.hooks.encodeCursor;
    return encode && id !== null ? { cursor: encode(this.cursors.snapshot()) } : {};
  }

  private push(item: Outgoing): void {
    if (this.closed) return;
    this.queue.push(item);
    this.queuedBytes += sizeOf(item);
    if (this.overLimit()) {
      this.context.onSlowConsumer(this);
      this.close('slow consumer');
      return;
    }
    if (this.ready) this.context.scheduler.mark(this);
  }
}
