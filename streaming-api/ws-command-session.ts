/** What a WebSocket command handler sees of its session: kept apart so that the handlers and the session do not import each other. */
import type { User } from '../core/domain/types';
import type { Connection } from './connection';
import type { StreamingContext } from './streaming-context';

export interface CommandSession {
  readonly ctx: StreamingContext;
  /** The authenticated user (commands only run once authenticated). */
  readonly user: User;
  /** Set once authenticated. */
  readonly connection: Connection | null;
  userSubscribed: boolean;
  /** Sends a control frame, ordered with the events of the connection. */
  send(frame: { type: string } & Record<string, unknown>): void;
}
