/** Private conversations and their messages (spec §2.6). Messages carry `to` and no `flow`. */
import { type Request, type Response, Router } from 'express';
import { requirePrivatePeer } from '../../core/access/flow-gate';
import { privateConversation } from '../../core/domain/types';
import { notFound } from '../../core/errors';
import { positiveId } from '../../core/actions/inputs';
import { markRead } from '../../core/actions/mark-read';
import { postMessage } from '../../core/actions/post-message';
import { setPrivateOpen } from '../../core/actions/set-private-open';
import { unreadIn } from '../../core/messaging/unread';
import type { PrivateConversationState } from '../../core/ports/directory';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { parseMessageQuery } from '../http/message-query';
import { param } from '../http/params';
import { urlBase } from '../serializers/flow-views';
import { unreadJson, userJson } from '../serializers/json';
import { sendPosted } from './messages';

export function privateRoutes(deps: WebApiDeps): Router {
  const r = Router();

  /** The other participant, who must share an organization with the caller; else 404. */
  const other = async (req: Request, res: Response) => {
    const me = callerOf(res);
    const id = parseInput(positiveId, param(req, 'id'));
    const user = await requirePrivatePeer(deps.directory, me.id, id);
    return { me, user, conversation: privateConversation(me.id, user.id) };
  };

  const present = async (req: Request, res: Response, state: PrivateConversationState) => {
    const me = callerOf(res);
    const user = await deps.directory.userById(state.otherUserId);
    const conversation = privateConversation(me.id, state.otherUserId);
    const [mentions, unread] = await Promise.all([deps.store.countTagged(conversation, `:unread:${me.id}`), unreadIn(deps, me.id, conversation)]);
    return {
      id: state.otherUserId,
      url: `${urlBase(deps, req).api}/private/${state.otherUserId}`,
      name: `@${user?.nick ?? state.otherUserId}`,
      open: state.open,
      activity: { inbox: false, mentions: mentions, chat: unread.count > 0 },
      ...unreadJson(unread),
      users: [userJson(me), ...(user ? [userJson(user)] : [])],
    };
  };

  r.get('/private', async (req, res) => {
    const states = await deps.directory.privateConversationsOf(callerOf(res).id);
    res.json(await Promise.all(states.map((s) => present(req, res, s))));
  });

  r.get('/private/:id', async (req, res) => {
    const { me, user } = await other(req, res);
    res.json(await present(req, res, await deps.directory.ensurePrivateConversation(me.id, user.id)));
  });

  r.put('/private/:id', async (req, res) => {
    res.json(await present(req, res, await setPrivateOpen(deps, callerOf(res), param(req, 'id'), req.body)));
  });

  r.post('/private/:id/messages', async (req, res) => {
    const userId = parseInput(positiveId, param(req, 'id'));
    const result = await postMessage(deps, callerOf(res), { kind: 'private', userId }, req.body);
    sendPosted(res, result, `${urlBase(deps, req).api}/private/${userId}/messages`);
  });

  r.put('/private/:id/read', async (req, res) => {
    res.json(await markRead(deps, callerOf(res), { kind: 'private', userId: parseInput(positiveId, param(req, 'id')) }, req.body));
  });

  r.get('/private/:id/messages', async (req, res) => {
    const { conversation } = await other(req, res);
    res.json(await deps.store.list(conversation, parseMessageQuery(req.query)));
  });

  r.get('/private/:id/messages/:message', async (req, res) => {
    const { conversation } = await other(req, res);
    const message = await deps.store.get(conversation, parseInput(positiveId, param(req, 'message')));
    if (!message) throw notFound('message');
    res.json(message);
  });

  return r;
}
