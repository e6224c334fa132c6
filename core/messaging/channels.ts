/**
 * Bus channel names: one per flow, one per user (private messages, flow-add/remove), one per edge node
 * for persist replies, and the access-revocation channel every streaming node listens on.
 */

export const flowChannel = (flowId: string): string => `flow:${flowId}`;
export const userChannel = (userId: number | string): string => `user:${userId}`;
export const replyChannel = (nodeId: string): string => `reply:${nodeId}`;
export const accessRevokedChannel = 'control:access-revoked';
/** A user's password or tokens changed: every process forgets its cached logins of the user (core/access/revocation.ts). */
export const credentialsChangedChannel = 'control:credentials-changed';

/** The flow id of a `flow:<id>` channel; null for any other channel. */
export const flowIdOfChannel = (channel: string): string | null => (channel.startsWith('flow:') ? channel.slice('flow:'.length) : null);
