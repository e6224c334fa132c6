/**
 * What core actions are built from: ports only. Each action names the part it needs
 * (`Pick<ActionDeps, …>`), so a caller with fewer ports (a streaming node, a worker) can still call it.
 */
import type { MessageIngress } from '../messaging/message-ingress';
import type { Bus } from '../ports/bus';
import type { Directory } from '../ports/directory';
import type { MessageStore } from '../ports/message-store';
import type { Presence } from '../ports/presence';

export interface ActionDeps {
  directory: Directory;
  store: MessageStore;
  /** The write path of stored events (posts, edits, deletions). */
  ingress: MessageIngress;
  /** Where live events are published (core/events/publish.ts). */
  bus: Bus;
  presence: Presence;
}
