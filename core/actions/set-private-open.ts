/** setPrivateOpen: `PUT /private/:id {open}` — show or hide a private conversation in the caller's list. */
import { z } from 'zod';
import { requirePrivatePeer } from '../access/flow-gate';
import type { User } from '../domain/types';
import type { PrivateConversationState } from '../ports/directory';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { positiveId, truthy } from './inputs';

const openInput = z.object({ open: truthy });

/** Opens or closes the caller's conversation with user `rawOtherId`, who must share an organization with them (else 404). */
export async function setPrivateOpen(deps: Pick<ActionDeps, 'directory'>, caller: User, rawOtherId: unknown, raw: unknown): Promise<PrivateConversationState> {
  const peer = await requirePrivatePeer(deps.directory, caller.id, parseInput(positiveId, rawOtherId));
  const { open } = parseInput(openInput, raw);
  await deps.directory.setPrivateConversationOpen(caller.id, peer.id, open);
  return { userId: caller.id, otherUserId: peer.id, open };
}
