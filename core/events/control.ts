/** The control messages of the bus: an access revocation (ADR 006), changed credentials; built and read here only. */
import type { AccessRevokedMessage } from './event-types';

/** A control message's JSON object; null when the bytes are not one. */
function jsonObject(payload: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `userId` may no longer read `flowIds`. */
export function accessRevokedMessage(userId: number, flowIds: string[]): AccessRevokedMessage {
  return { event: 'access-revoked', userId, flowIds };
}

/**
 * Reads a revocation off the bus; null for anything malformed (the caller logs it). `event` is not
 * required: nodes of the previous release publish `{userId, flowIds}` alone.
 */
export function parseAccessRevoked(payload: Buffer): AccessRevokedMessage | null {
  const parsed = jsonObject(payload);
  if (!parsed) return null;
  const { userId, flowIds } = parsed;
  if (!Number.isSafeInteger(userId) || !Array.isArray(flowIds) || !flowIds.every((id) => typeof id === 'string')) return null;
  return accessRevokedMessage(userId as number, flowIds as string[]);
}

/** `userId`'s password or tokens changed: logins cached with the old ones are no longer valid. */
export interface CredentialsChangedMessage {
  event: 'credentials-changed';
  userId: number;
}

export function credentialsChangedMessage(userId: number): CredentialsChangedMessage {
  return { event: 'credentials-changed', userId };
}

/** Reads a credentials change off the bus; null for anything malformed (the caller logs it). */
export function parseCredentialsChanged(payload: Buffer): CredentialsChangedMessage | null {
  const { event, userId } = jsonObject(payload) ?? {};
  return event === 'credentials-changed' && Number.isSafeInteger(userId) ? credentialsChangedMessage(userId as number) : null;
}
