/** What the edges put on the queue and what the message backend answers: the write path's wire format. */
import type { ConversationKey, MessageJson, ThreadState } from '../domain/types';

/** Thread fields a post may set (spec §2.5); the backend merges them into the stored thread state. */
export type ThreadInput = Partial<Pick<ThreadState, 'title' | 'body' | 'external_url' | 'status' | 'fields'>>;

/** A message before the backend numbers it: everything but id, created_at and edited. */
export type MessageDraft = Omit<MessageJson, 'id' | 'created_at' | 'edited' | 'thread'> & { thread?: ThreadInput };

interface CommandBase {
  conversation: ConversationKey;
  /** Bus channel of the edge node waiting for the outcome. */
  replyTo: string;
  /** Idempotency key: the message's uuid, or the uuid of the event an edit/delete produces. */
  uuid: string;
  /** Who asked (string user id), for the event's `user`. */
  actor: string;
}

export interface PostCommand extends CommandBase {
  kind: 'post';
  draft: MessageDraft;
}

export interface EditCommand extends CommandBase {
  kind: 'edit';
  target: number;
  content?: string;
  tags?: string[];
}

export interface DeleteCommand extends CommandBase {
  kind: 'delete';
  target: number;
}

export type QueueCommand = PostCommand | EditCommand | DeleteCommand;

/** The backend's answer to one command, published on the command's `replyTo` channel once persisted. */
export interface PersistReply {
  uuid: string;
  conversation: ConversationKey;
  message?: MessageJson;
  error?: { code: 'NOT_FOUND' | 'INTERNAL'; message: string };
}
