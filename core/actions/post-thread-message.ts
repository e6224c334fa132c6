/** postThreadMessage: a post into an existing thread of a flow (spec §2.5 `POST …/threads/:id/messages`), through postMessage. */
import type { User } from '../domain/types';
import type { FlowRef } from './flow-ref';
import { type PostDeps, type PostResult, postMessage } from './post-message';

/** Posts `raw` into thread `threadId` of `flow`; 404 when the flow has no such thread. */
export function postThreadMessage(deps: PostDeps, sender: User, flow: FlowRef, threadId: string, raw: unknown): Promise<PostResult> {
  return postMessage(deps, sender, { kind: 'flow', flow, threadId }, raw);
}
