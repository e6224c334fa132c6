/** Bus: fan-out of serialized events to whoever listens on a channel (Redis pub/sub or in-process). */

export type BusHandler = (payload: Buffer, channel: string) => void;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface Bus {
  /** Publishes the bytes as they are; every current subscriber of the channel receives the same bytes. */
  publish(channel: string, payload: Buffer | string): Promise<void>;
  /** Resolves once the subscription is active, so that nothing published afterwards is missed. */
  subscribe(channel: string, handler: BusHandler): Promise<Subscription>;
  /**
   * Calls `listener` each time the bus has re-established its subscriptions after losing them:
   * whatever was published meanwhile was not delivered (pub/sub keeps nothing), so subscribers
   * that care catch up from the store. A bus that cannot lose subscriptions never calls it.
   */
  onGap(listener: () => void): void;
  close(): Promise<void>;
}
