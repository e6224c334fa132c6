/** Presence: who was last active where, with a time-to-live (Redis hash or in-process map). */

export interface Presence {
  /** Records that the user was seen in the flow at `at` (ms). */
  touch(flowId: string, userId: number, at: number): Promise<void>;
  /** Last activity (ms) of each user seen in the flow within the TTL. */
  lastActivity(flowId: string): Promise<Map<number, number>>;
  /** Drops the user from the flow's presence at once (they lost access to it). */
  forget(flowId: string, userId: number): Promise<void>;
  close(): Promise<void>;
}
