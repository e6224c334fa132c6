/** A post's uuid belongs to its sender: the same uuid from another sender in the conversation is a 409, never the other's message. */
import type { MessageJson } from '../domain/types';
import { AppError } from '../errors';

/** What the poster is told when the uuid is already another sender's. */
export function uuidTakenMessage(uuid: string): string {
  return `uuid ${JSON.stringify(uuid.slice(0, 128))} is already used by another sender's message in this conversation; send a new uuid`;
}

/** Who a message is from, as far as its uuid goes: `user`, and for anonymous posts (`user` "0") the name given. */
type Sender = Pick<MessageJson, 'user' | 'external_user_name' | 'source_id'>;

/**
 * Whether two messages come from the same sender. Anonymous posts all carry `user` "0", so their
 * `external_user_name` tells them apart: a member posting as "x" cannot take the uuid of a bot
 * posting as "deploybot" (who would otherwise get the member's message back as its own), and
 * `source_id` tells two sources apart.
 */
export function sameSender(a: Sender, b: Sender): boolean {
  return a.user === b.user && (a.external_user_name ?? null) === (b.external_user_name ?? null) && (a.source_id ?? null) === (b.source_id ?? null);
}

/** The 409 a poster gets when the backend found the uuid already another sender's (the backend decides: ADR 024). */
export function uuidTakenError(uuid: string): AppError {
  return new AppError('CONFLICT', uuidTakenMessage(uuid), { uuid: ['is already used by another sender in this conversation'] });
}
