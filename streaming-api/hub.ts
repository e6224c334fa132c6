/** Hub: the single owner of this node's bus subscriptions; fans each channel's events out to the local connections, once per flush. */
import type { Bus, Subscription } from '../core/ports/bus';
import { type Envelope, envelopeOf } from './envelope';
import { EnvelopeBatch } from './envelope-batch';
import type { FlushScheduler, FlushSource } from './flush-scheduler';

/** A local receiver of events (a connection). `deliverBatch` must not throw and must not block. */
export interface HubMember {
  deliverBatch(batch: EnvelopeBatch): void;
}

/** One channel's local state; `ready` is set right after construction (the bus callback needs the entry first). */
class ChannelEntry {
  readonly members = new Set<HubMember>();
  ready!: Promise<Subscription>;
  /** Events received since the last flush, in arrival order. */
  pending: Envelope[] = [];
  /** Per conversation, the newest id handed out or read from the store after the subscription was active. */
  readonly lastIds = new Map<string, number>();
  /**
   * Conversations whose `lastIds` entry includes such a store read: from there on this
   * subscription delivers every later event, so a new member can start at it (ADR 032).
   */
  read: Set<string> | null = null;
}

export interface HubOptions {
  /** Called once per event received (not per member): the delivery-latency sample. */
  onEvent?: (envelope: Envelope) => void;
  /** Called for a bus payload that is not a JSON object; it is dropped. */
  onBadPayload?: (channel: string) => void;
}

/**
 * One bus subscription per channel, shared by every local member: subscribed when the first member
 * joins, unsubscribed when the last leaves. A node thus subscribes only to what its clients watch,
 * and each payload is parsed once. Events are not handed out as they arrive: each channel gathers
 * them until the scheduler's next flush, then every member gets the same {@link EnvelopeBatch}
 * (ADR 023), so the per-subscriber work is one call per flush, not one per event.
 */
export class Hub implements FlushSource {
  private readonly channels = new Map<string, ChannelEntry>();
  /** Channels with pending events. */
  private dirty: ChannelEntry[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly scheduler: FlushScheduler,
    private readonly options: HubOptions = {},
  ) {
    scheduler.addSource(this);
  }

  /** Resolves once the bus subscription is active: nothing published afterwards is missed. */
  async join(channel: string, member: HubMember): Promise<void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      const created = new ChannelEntry();
      created.ready = this.bus.subscribe(channel, (payload) => this.busOnMessage(channel, created, payload));
      entry = created;
      this.channels.set(channel, entry);
    }
    entry.members.add(member);
    try {
      await entry.ready;
    } catch (error) {
      entry.members.delete(member);
      // Forget the failed subscription so that the next join retries it.
      if (this.channels.get(channel) === entry) this.channels.delete(channel);
      throw error;
    }
  }

  /**
   * Never rejects, so that closing connections may leave without awaiting: an UNSUBSCRIBE that
   * fails ran on a connection that is closed or dropping, and a dropped connection holds no
   * subscription anyway (the bus re-subscribes only what its map still holds).
   * Synchronous up to the member's removal: nothing of the channel reaches it afterwards, not even
   * what is pending.
   */
  async leave(channel: string, member: HubMember): Promise<void> {
    const entry = this.channels.get(channel);
    if (!entry?.members.delete(member) || entry.members.size > 0) return;
    this.channels.delete(channel);
    // A join racing with this leave makes a fresh entry (and subscription); this old one has no
    // members left, so it cannot deliver twice while it is being torn down.
    await unsubscribeQuietly(entry);
  }

  /**
   * The newest id of `conversation` a new member of `channel` can start after without reading the
   * store (ADR 032): every later event reaches it through this subscription, since the id comes
   * from a store read made after the subscription was active, raised by each id handed out since.
   * Undefined when no read was noted on this subscription, or `member` is not on the channel.
   */
  knownLastId(channel: string, member: HubMember, conversation: string): number | undefined {
    const entry = this.channels.get(channel);
    return entry?.members.has(member) && entry.read?.has(conversation) ? entry.lastIds.get(conversation) : undefined;
  }

  /**
   * Notes the store's last id of `conversation`, read by `member` after it joined `channel` (its
   * join resolved, so the subscription was active before the read began); ignored if the member
   * has left meanwhile (the channel may be another subscription by now).
   */
  noteLastId(channel: string, member: HubMember, conversation: string, id: number): void {
    const entry = this.channels.get(channel);
    if (!entry?.members.has(member)) return;
    // An event handed out while the read ran may be newer than what it saw: keep the newest.
    raiseLastId(entry.lastIds, conversation, id);
    (entry.read ??= new Set()).add(conversation);
  }

  /** After a bus gap events may have been lost on every subscription: the next subscribers read the store again. */
  forgetLastIds(): void {
    for (const entry of this.channels.values()) entry.read = null;
  }

  /** Channels with a live bus subscription on this node. */
  channelCount(): number {
    return this.channels.size;
  }

  /** Drops every subscription (service shutdown). */
  async close(): Promise<void> {
    const entries = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(entries.map(unsubscribeQuietly));
  }

  /** Called by the scheduler at a flush: every channel's pending events go, as one batch, to each of its members. */
  drain(): void {
    const dirty = this.dirty;
    this.dirty = [];
    for (const entry of dirty) {
      const batch = new EnvelopeBatch(entry.pending);
      entry.pending = [];
      raiseLastIds(entry.lastIds, batch);
      for (const member of entry.members) member.deliverBatch(batch);
      if (this.options.onEvent) for (const envelope of batch.envelopes) this.options.onEvent(envelope);
    }
  }

  private busOnMessage(channel: string, entry: ChannelEntry, payload: Buffer): void {
    const envelope = envelopeOf(payload);
    if (!envelope) {
      this.options.onBadPayload?.(channel);
      return;
    }
    if (entry.pending.push(envelope) === 1) {
      this.dirty.push(entry);
      this.scheduler.wake();
    }
  }
}

/** Handing a batch out: its ids are behind every member from now on, present and future. */
function raiseLastIds(lastIds: Map<string, number>, batch: EnvelopeBatch): void {
  const { run } = batch;
  if (run) raiseLastId(lastIds, run.conversation, run.last);
  else if (run === undefined) for (const { id, conversation } of batch.envelopes) if (id !== null && conversation !== null) raiseLastId(lastIds, conversation, id);
}

function raiseLastId(lastIds: Map<string, number>, conversation: string, id: number): void {
  if (id > (lastIds.get(conversation) ?? -1)) lastIds.set(conversation, id);
}

/** Ends a channel's bus subscription; see {@link Hub.leave} for why a failure is dropped. */
async function unsubscribeQuietly(entry: ChannelEntry): Promise<void> {
  const subscription = await entry.ready.catch(() => null);
  await subscription?.unsubscribe().catch(() => undefined);
}
