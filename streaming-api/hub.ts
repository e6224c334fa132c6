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

/** Ends a channel's bus subscription; see {@link Hub.leave} for why a failure is dropped. */
async function unsubscribeQuietly(entry: ChannelEntry): Promise<void> {
  const subscription = await entry.ready.catch(() => null);
  await subscription?.unsubscribe().catch(() => undefined);
}
