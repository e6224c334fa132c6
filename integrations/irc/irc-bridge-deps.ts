/**
 * The bridge's narrow interface, built from the core ports: posts go through the source gate and
 * `postAdmitted` (the same validation, uuid retries and queue as a flow-token post), reads
 * go to the message store by id. The integrations worker calls this for each `irc` source it leases.
 */
import { sourceAccess } from '../../core/access/source-gate';
import { postAdmitted } from '../../core/actions/post-as-source';
import type { PostDeps } from '../../core/actions/submit-post';
import type { Source } from '../../core/domain/source';
import { flowConversation } from '../../core/domain/types';
import type { Log } from '../../core/log';
import { EXTERNAL_SENDER_MARK } from '../../core/messaging/external-sender';
import type { Outbound } from '../outbound/source-outbound';
import type { IrcBridgeDeps, IrcBridgeStatus } from './irc-bridge';

export interface BridgeOptions {
  log: Log;
  /** Settles once the status (its cursor) is stored, when it can tell (IrcBridgeDeps.status). */
  status(status: IrcBridgeStatus): void | Promise<void>;
  /** The source's way out: the IRC server's address goes through its guard. */
  outbound: Pick<Outbound, 'address'>;
  cursor?: number;
  pollMs?: number;
  reconnectMinMs?: number;
}

export function coreBridgeDeps(parts: PostDeps, source: Source, options: BridgeOptions): IrcBridgeDeps {
  if (source.flowId === null) throw new Error(`source ${source.id} has no flow (it was deleted); delete the source`);
  const conversation = flowConversation(source.flowId);
  const nicks = new Map<number, string>();
  const { outbound, ...rest } = options;
  return {
    ...rest,
    address: (host) => outbound.address(host),
    async post(post) {
      // Admitted per post: a source deleted or a flow archived meanwhile refuses, as its token would.
      const admitted = await sourceAccess(parts.directory, source, 'post');
      await postAdmitted(parts, admitted, { event: 'message', ...post });
    },
    messagesAfter: (cursor, limit) => parts.store.listAfter(conversation, cursor, limit),
    lastMessageId: () => parts.store.lastId(conversation),
    async authorOf(message) {
      if (message.user === '0' || !message.user) return `${message.external_user_name ?? 'anonymous'}${EXTERNAL_SENDER_MARK}`;
      const id = Number(message.user);
      let nick = nicks.get(id);
      if (nick === undefined) {
        nick = (await parts.directory.userById(id))?.nick ?? `user${id}`;
        nicks.set(id, nick);
      }
      return nick;
    },
  };
}
