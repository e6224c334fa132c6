/** Bus channel names: one per flow, one per user (private messages, flow-add/remove), one per edge node for persist replies. */

export const flowChannel = (flowId: string): string => `flow:${flowId}`;
export const userChannel = (userId: number | string): string => `user:${userId}`;
export const replyChannel = (nodeId: string): string => `reply:${nodeId}`;
