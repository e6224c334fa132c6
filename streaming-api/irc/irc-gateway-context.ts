/** What every IRC session of a node shares: the streaming context, the gateway's options and where each user's clients left off. */
import type { IrcResumePoints } from '../../core/ports/irc-resume-points';
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

export interface IrcGatewayContext {
  readonly ctx: StreamingContext;
  readonly options: IrcGatewayOptions;
  readonly resumePoints: IrcResumePoints;
}
