/** The control messages of the bus: an access revocation (ADR 006), changed credentials; built and read here only. */
import type { AccessRevokedMessage } from './event-types';

/** `userId` may no longer read `flowIds`. */
export function accessRevokedMessage(userId: number, flowIds: string[]): AccessRevokedMessage {
  return { event: 'access-revoked', userId, flowIds };
}

/**
 * Reads a revocation off the bus; null for anything malformed (the caller logs it). `event` is not
 * required: nodes of the previous release publish `{userId, flowIds}` alone.
 */
export function parseAccessRevoked(payload: Buffer): AccessRevokedMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { userId, flowIds } = parsed as Record<string, unknown>;
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { event, userId } = parsed as Record<string, unknown>;
  return event === 'credentials-changed' && Number.isSafeInteger(userId) ? credentialsChangedMessage(userId as number) : null;
}
