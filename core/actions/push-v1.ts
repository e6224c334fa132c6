/**
 * The legacy v1 push API (spec §5): `team_inbox` → a `mail` inbox item, `chat` → an anonymous
 * `message` (`user` "0", `external_user_name`). The path's token is a source's flow token, or a
 * comma list of them (one post per flow). Each post goes through the same gate, validation,
 * idempotency and queue as every other.
 */
import { randomUUID } from 'node:crypto';
import { requireSourceToken, type SourceAccess } from '../access/source-gate';
import { flowConversation } from '../domain/types';
import { inboxItemContent, inboxItemTags } from '../events/stored-events';
import { validationError } from '../errors';
import { deriveTags } from '../messaging/tags';
import { parseInput } from '../validation';
import { teamInboxInput } from './source-inputs';
import { mentionableMembers, type PostDeps, type PostResult, queueDraft, senderOf, submitPost } from './submit-post';
import { postInput } from '../messaging/post-input';

/** At most this many flows per push: a longer list is a 400, not a fan-out. */
export const MAX_PUSH_TOKENS = 20;

/** The tokens of a path segment `a,b,c`: each admitted before anything is posted, so a bad one posts nowhere. */
export async function admitPushTokens(deps: PostDeps, list: string, admit: (token: string) => Promise<void> = async () => {}): Promise<SourceAccess[]> {
  const tokens = [...new Set(list.split(',').map((t) => t.trim()).filter(Boolean))];
  if (tokens.length > MAX_PUSH_TOKENS) throw validationError({ flow_api_token: [`at most ${MAX_PUSH_TOKENS} tokens`] });
  const admitted: SourceAccess[] = [];
  for (const token of tokens) {
    await admit(token);
    admitted.push(await requireSourceToken(deps.directory, token, 'post'));
  }
  if (!admitted.length) throw validationError({ flow_api_token: ["can't be blank"] });
  return admitted;
}

/** `POST /v1/messages/team_inbox/:tokens`: one inbox item per flow. */
export async function pushToTeamInbox(deps: PostDeps, admitted: SourceAccess[], raw: unknown): Promise<PostResult[]> {
  const input = parseInput(teamInboxInput, raw);
  const results: PostResult[] = [];
  for (const { flow, source } of admitted) {
    const conversation = flowConversation(flow.id);
    const sender = senderOf({ senderId: null, source }, undefined);
    const members = await mentionableMembers(deps.directory, flow.id, { tags: input.tags });
    results.push(await queueDraft(deps, conversation, {
      uuid: input.uuid ?? randomUUID(),
      event: 'mail',
      content: inboxItemContent(input),
      tags: [...deriveTags(input.tags ?? [], null, members, null), ...inboxItemTags(input)],
      ...sender,
      flow: flow.id,
      sent: Date.now(),
      app: 'influx',
      attachments: [],
    }));
  }
  return results;
}

/** `POST /v1/messages/chat/:tokens`: `content` and `external_user_name` required; `thread_id`, `tags`, `uuid` as for any post. */
export async function pushToChat(deps: PostDeps, admitted: SourceAccess[], raw: unknown): Promise<PostResult[]> {
  const body: Record<string, unknown> = { ...((raw ?? {}) as Record<string, unknown>), event: 'message' };
  if (body.external_user_name === undefined) throw validationError({ external_user_name: ["can't be blank"] });
  // `message_id` was the v1 name of a comment's parent; chat pushes here are plain messages.
  delete body.message_id;
  const input = parseInput(postInput, body);
  const results: PostResult[] = [];
  for (const { flow, source } of admitted) {
    const members = await mentionableMembers(deps.directory, flow.id, input);
    results.push(await submitPost(deps, { conversation: flowConversation(flow.id), address: { flow: flow.id }, senderId: null, members, source }, input));
  }
  return results;
}
