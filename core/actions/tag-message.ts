/** tagMessage: replaces the tag list of any message of a flow the caller may post in (clearing `:unread:<me>` is how mentions are read). */
import type { MessageJson, User } from '../domain/types';
import { tagsEdit } from '../messaging/post-input';
import { parseInput } from '../validation';
import { submitEdit } from './edit-message';
import type { FlowRef } from './flow-ref';
import { type ChangeDeps, locateMessage } from './message-target';

/** Sets message `id`'s tags to `raw.tags`; resolves with the `tag-change` event. */
export async function tagMessage(deps: ChangeDeps, caller: User, flow: FlowRef, id: unknown, raw: unknown): Promise<MessageJson> {
  const at = await locateMessage(deps, caller, flow, id);
  return submitEdit(deps, caller, at, parseInput(tagsEdit, raw));
}
