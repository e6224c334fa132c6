/** A post's uuid belongs to its sender: the same uuid from another sender in the conversation is a 409, never the other's message. */
import type { MessageJson } from '../domain/types';
import { AppError } from '../errors';

/** What the poster is told when the uuid is already another sender's. */
export function uuidTakenMessage(uuid: string): string {
  return `uuid ${JSON.stringify(uuid.slice(0, 128))} is already used by another sender's message in this conversation; send a new uuid`;
}

/**
 * The stored message when it is the sender's own (an idempotent retry); throws CONFLICT when the
 * uuid is another sender's. `sender` is the `user` the new message would carry.
 */
export function ownRetry(stored: MessageJson, sender: string): MessageJson {
  if (stored.user !== sender) throw new AppError('CONFLICT', uuidTakenMessage(stored.uuid), { uuid: ['is already used by another sender in this conversation'] });
  return stored;
}
