/** Flow messages, threads and comments (spec §2.4, §2.5): changes are core actions, reads go through the gate to the store. */
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { flowConversation } from '../../core/domain/types';
import { notFound } from '../../core/errors';
import { timestamp } from '../../core/input-bounds';
import { deleteMessage } from '../../core/actions/delete-message';
import { editMessage } from '../../core/actions/edit-message';
import { positiveId, wholeNumber } from '../../core/actions/inputs';
import { postComment } from '../../core/actions/post-comment';
import { type PostResult, postMessage } from '../../core/actions/post-message';
import { postThreadMessage } from '../../core/actions/post-thread-message';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { parseMessageQuery } from '../http/message-query';
import { param } from '../http/params';
import { flowIdBody } from '../http/schemas';
import { flowAt, urlBase } from '../serializers/flow-views';

const threadsQuery = z.object({ limit: wholeNumber(z.number().min(1).max(100)).default(30), until: timestamp.optional(), since: timestamp.optional() });

/** 201 with the stored message (what the Ruby gem and IRC gateway expect), plus its comments link. */
export function sendPosted(res: Response, result: PostResult, location: string): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(201).set('Link', `<${location}/${result.message.id}/comments>; rel="comments"`).json(result.message);
}

export function messageRoutes(deps: WebApiDeps): Router {
  const r = Router();
  /** Reads need 'read' (the actions ask the gate themselves, as a post: an archived flow is read-only). */
  const flowOf = (req: Request, res: Response) => flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'read');
  const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });
  const location = (req: Request) => `${urlBase(deps, req).api}/flows/${req.params.org}/${req.params.flow}/messages`;

  r.post('/messages', async (req, res) => {
    const { flow } = parseInput(flowIdBody, req.body);
    res.status(201).json((await postMessage(deps, callerOf(res), { kind: 'flow', flow: { id: flow } }, req.body)).message);
  });

  r.post('/comments', async (req, res) => {
    const { flow } = parseInput(flowIdBody, req.body);
    res.status(201).json((await postComment(deps, callerOf(res), { id: flow }, req.body.message, req.body)).message);
  });

  r.post('/flows/:org/:flow/messages', async (req, res) => {
    sendPosted(res, await postMessage(deps, callerOf(res), { kind: 'flow', flow: at(req) }, req.body), location(req));
  });

  r.post('/flows/:org/:flow/messages/:message/comments', async (req, res) => {
    sendPosted(res, await postComment(deps, callerOf(res), at(req), param(req, 'message'), req.body), location(req));
  });

  r.post('/flows/:org/:flow/threads/:thread/messages', async (req, res) => {
    sendPosted(res, await postThreadMessage(deps, callerOf(res), at(req), param(req, 'thread'), req.body), location(req));
  });

  r.get('/flows/:org/:flow/messages', async (req, res) => {
    const view = await flowOf(req, res);
    res.json(await deps.store.list(flowConversation(view.flow.id), parseMessageQuery(req.query)));
  });

  r.get('/flows/:org/:flow/messages/:id', async (req, res) => {
    const view = await flowOf(req, res);
    const message = await deps.store.get(flowConversation(view.flow.id), parseInput(positiveId, param(req, 'id')));
    if (!message) throw notFound('message');
    res.json(message);
  });

  // The target of the `rel="comments"` link a posted message carries: the message's comments, oldest first.
  r.get('/flows/:org/:flow/messages/:id/comments', async (req, res) => {
    const view = await flowOf(req, res);
    const conversation = flowConversation(view.flow.id);
    const id = parseInput(positiveId, param(req, 'id'));
    if (!(await deps.store.get(conversation, id))) throw notFound('message');
    const query = parseMessageQuery({ limit: '100', ...(req.query as Record<string, unknown>) });
    res.json(await deps.store.list(conversation, { ...query, events: ['comment'], tags: [`influx:${id}`], tagMode: 'and' }));
  });

  r.put('/flows/:org/:flow/messages/:id', async (req, res) => {
    await editMessage(deps, callerOf(res), at(req), param(req, 'id'), req.body);
    res.json({});
  });

  r.delete('/flows/:org/:flow/messages/:id', async (req, res) => {
    await deleteMessage(deps, callerOf(res), at(req), param(req, 'id'));
    res.json({});
  });

  r.get('/flows/:org/:flow/threads', async (req, res) => {
    const view = await flowOf(req, res);
    const q = parseInput(threadsQuery, req.query);
    const threads = await deps.store.listThreads(flowConversation(view.flow.id), { limit: q.limit, ...(q.until ? { until: q.until } : {}), ...(q.since ? { since: q.since } : {}) });
    const last = threads[threads.length - 1];
    if (last && threads.length === q.limit) {
      res.set('Link', `<${urlBase(deps, req).api}/flows/${req.params.org}/${req.params.flow}/threads?until=${encodeURIComponent(last.updated_at)}&limit=${q.limit}>; rel="next"`);
    }
    res.json(threads);
  });

  r.get('/flows/:org/:flow/threads/:thread', async (req, res) => {
    const view = await flowOf(req, res);
    const thread = await deps.store.getThread(flowConversation(view.flow.id), req.params.thread!);
    if (!thread) throw notFound('thread');
    res.json(thread);
  });

  r.get('/flows/:org/:flow/threads/:thread/messages', async (req, res) => {
    const view = await flowOf(req, res);
    const conversation = flowConversation(view.flow.id);
    if (!(await deps.store.getThread(conversation, req.params.thread!))) throw notFound('thread');
    res.json(await deps.store.list(conversation, parseMessageQuery(req.query, req.params.thread!)));
  });

  return r;
}

