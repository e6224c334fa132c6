/** Hub: the single owner of this node's bus subscriptions; fans each bus payload out to the local connections. */
import type { Bus, Subscription } from '../core/ports/bus';
import { type Envelope, envelopeOf } from './envelope';

/** A local receiver of events (a connection). `deliver` must not throw and must not block. */
export interface HubMember {
  deliver(envelope: Envelope): void;
}

interface ChannelEntry {
  readonly members: Set<HubMember>;
  readonly ready: Promise<Subscription>;
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
 * and each payload is parsed once and handed, as the same Buffer, to every member.
 */
export class Hub {
  private readonly channels = new Map<string, ChannelEntry>();

  constructor(
    private readonly bus: Bus,
    private readonly options: HubOptions = {},
  ) {}

  /** Resolves once the bus subscription is active: nothing published afterwards is missed. */
  async join(channel: string, member: HubMember): Promise<void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      const members = new Set<HubMember>();
      const ready = this.bus.subscribe(channel, (payload) => this.busOnMessage(channel, members, payload));
      entry = { members, ready };
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

  private busOnMessage(channel: string, members: Set<HubMember>, payload: Buffer): void {
    const envelope = envelopeOf(payload);
    if (!envelope) {
      this.options.onBadPayload?.(channel);
      return;
    }
    for (const member of members) member.deliver(envelope);
    this.options.onEvent?.(envelope);
  }
}

/** Ends a channel's bus subscription; see {@link Hub.leave} for why a failure is dropped. */
async function unsubscribeQuietly(entry: ChannelEntry): Promise<void> {
  const subscription = await entry.ready.catch(() => null);
  await subscription?.unsubscribe().catch(() => undefined);
}
