/** postComment: a comment on a message of a flow (spec §2.4 `POST …/messages/:id/comments`), through postMessage. */
import type { User } from '../domain/types';
import type { FlowRef } from './flow-ref';
import { type PostDeps, type PostResult, postMessage } from './post-message';

/** Comments `raw.content` on message `parent` of `flow`. */
export function postComment(deps: PostDeps, sender: User, flow: FlowRef, parent: unknown, raw: unknown): Promise<PostResult> {
  return postMessage(deps, sender, { kind: 'flow', flow }, { ...(raw ?? {}), event: 'comment', message: parent });
}
