/**
 * postAsSource: `POST /messages` with a `flow_token` (spec §5): a source posts thread messages
 * (`activity`, `discussion`) or chat (`message`) into its flow, anonymously (`user` "0"), through
 * the same validation, idempotency and queue as every post (core/actions/submit-post.ts).
 */
import { requireSourceToken, type SourceAccess } from '../access/source-gate';
import { flowConversation } from '../domain/types';
import { validationError } from '../errors';
import { postInput } from '../messaging/post-input';
import { parseInput } from '../validation';
import { mentionableMembers, type PostDeps, type PostResult, submitPost } from './submit-post';

/** What a flow token may post: no statuses (no user has one here) and no comments (they are a member's reply). */
export const SOURCE_EVENTS = ['activity', 'discussion', 'message'] as const;

/** Posts `raw` as the source of `token`: 401/410 for the token, 404/403 for its flow, 400 for the body. */
export async function postAsSource(deps: PostDeps, token: unknown, raw: unknown): Promise<PostResult & { admitted: SourceAccess }> {
  return postAdmitted(deps, await requireSourceToken(deps.directory, token, 'post'), raw);
}

/** Posts `raw` as a source the gate admitted (by its token, or a built-in source's worker: core/access/source-gate.ts `sourceAccess`). */
export async function postAdmitted(deps: PostDeps, admitted: SourceAccess, raw: unknown): Promise<PostResult & { admitted: SourceAccess }> {
  const input = parseInput(postInput, raw);
  if (!(SOURCE_EVENTS as readonly string[]).includes(input.event)) throw validationError({ event: [`must be one of ${SOURCE_EVENTS.join(', ')} with a flow_token`] });
  const flowId = admitted.flow.id;
  const result = await submitPost(deps, {
    conversation: flowConversation(flowId),
    address: { flow: flowId },
    senderId: null,
    members: await mentionableMembers(deps.directory, flowId, input),
    source: admitted.source,
  }, input);
  return { ...result, admitted };
}
