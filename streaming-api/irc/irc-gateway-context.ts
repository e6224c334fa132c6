/** What every IRC session of a node shares: the streaming context, the gateway's options and where each user's clients left off. */
import type { StreamingContext } from '../streaming-context';

export interface IrcGatewayOptions {
  /** Shown as the server's name (source of numerics). */
  serverName: string;
  /** Lines a client may have waiting to be handled; more are refused (a flood must not hold memory). */
  maxQueuedLines: number;
  /** How long a client may take to log in. */
  registrationTimeoutMs: number;
  /** A member not seen active for this long is away (`G` in WHO). */
  awayAfterMs: number;
}

export const DEFAULT_IRC_OPTIONS: IrcGatewayOptions = { serverName: 'irc.tributary', maxQueuedLines: 100, registrationTimeoutMs: 30_000, awayAfterMs: 5 * 60_000 };

/**
 * Per user, the last id their IRC client was sent in each conversation, kept when it disconnects:
 * IRC clients name no position when they come back, so the node remembers it for them and the
 * reconnect resumes from there through the same cursors and backfill as a WebSocket `since`.
 * In memory, on this node, for the most recent `limit` users (docs/irc.md says what that means).
 */
export class IrcResumePoints {
  private readonly points = new Map<number, Record<string, number>>();

  constructor(private readonly limit = 100_000) {}

  save(userId: number, positions: Record<string, number>): void {
    const merged = { ...this.points.get(userId), ...positions };
    this.points.delete(userId);
    if (this.points.size >= this.limit) this.points.delete(this.points.keys().next().value as number);
    this.points.set(userId, merged);
  }

  of(userId: number): Record<string, number> {
    return this.points.get(userId) ?? {};
  }
}

export interface IrcGatewayContext {
  readonly ctx: StreamingContext;
  readonly options: IrcGatewayOptions;
  readonly resumePoints: IrcResumePoints;
}
