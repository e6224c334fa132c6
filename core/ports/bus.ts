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
  close(): Promise<void>;
}
