/**
 * Attachments as Flowdock shows them (spec §2.9) and the paths they are served at:
 * `/files/<scope>/<file id>/<file name>`, where the scope names the conversation (a flow's id, or
 * `private-<low id>-<high id>`), so that a GET can be authorized before any blob is read.
 */
import { type ConversationKey, flowConversation, isPrivateConversation, privateConversation, privateParticipants } from '../domain/types';

export interface Attachment {
  path: string;
  file_name: string;
  file_size: number;
  content_type: string;
  /** Only for images Tributary could decode. */
  image?: { width: number; height: number };
  thumbnail?: { path: string; width: number; height: number };
}

/** File ids are Tributary's (a hash), so anything else in a path is simply not found. */
export const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PRIVATE_SCOPE = /^private-(\d{1,15})-(\d{1,15})$/;

/** The path segment naming a conversation. */
export function scopeOf(conversation: ConversationKey): string {
  if (!isPrivateConversation(conversation)) return conversation;
  const [low, high] = privateParticipants(conversation);
  return `private-${low}-${high}`;
}

/** The conversation a path's scope names: a private one, or a flow (whose id the gate then checks). */
export function conversationOfScope(scope: string): { kind: 'private'; conversation: ConversationKey; users: [number, number] } | { kind: 'flow'; flowId: string; conversation: ConversationKey } {
  const m = PRIVATE_SCOPE.exec(scope);
  if (m) {
    const users: [number, number] = [Number(m[1]), Number(m[2])];
    return { kind: 'private', conversation: privateConversation(users[0], users[1]), users };
  }
  return { kind: 'flow', flowId: scope, conversation: flowConversation(scope) };
}

/** Where a file's bytes are kept in the blob store. */
export const blobKey = (conversation: ConversationKey, fileId: string): string => `${conversation}/${fileId}`;

/** The path an attachment is fetched at (relative to the API's origin, as Flowdock's are). */
export const filePath = (conversation: ConversationKey, fileId: string, fileName: string): string =>
  `/files/${encodeURIComponent(scopeOf(conversation))}/${fileId}/${encodeURIComponent(fileName)}`;
