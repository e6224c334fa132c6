/** What the edges put on the queue and what the message backend answers: the write path's wire format. */
import type { ConversationKey, MessageJson, ThreadState } from '../domain/types';

/** Thread fields a post may set (spec §2.5); the backend merges them into the stored thread state. */
export type ThreadInput = Partial<Pick<ThreadState, 'title' | 'body' | 'external_url' | 'status' | 'fields' | 'actions' | 'source'>>;

/** A message before the backend numbers it: everything but id, created_at and edited. */
export type MessageDraft = Omit<MessageJson, 'id' | 'created_at' | 'edited' | 'thread'> & { thread?: ThreadInput };

interface CommandBase {
  conversation: ConversationKey;
  /** Bus channel of the edge node waiting for the outcome. */
  replyTo: string;
  /**
   * This submission's own id at its edge, echoed in the reply: each waiter gets its own command's
   * answer, never that of an earlier command with the same uuid and actor (two sources both post
   * as user "0"; retries reach the backend since the edge no longer looks uuids up: ADR 024).
   */
  ref?: string;
  /** Idempotency key: the message's uuid, or the uuid of the event an edit/delete produces. */
  uuid: string;
  /** Who asked (string user id), for the event's `user`. */
  actor: string;
}

export interface PostCommand extends CommandBase {
  kind: 'post';
  draft: MessageDraft;
  /**
   * The member (user id) whose right to post into the flow admitted this post; absent for sources,
   * pushes, mail and private messages. A store that checks posters writes the post only while they
   * still may (ADR 035): what lets the edge admit it from a cached answer.
   */
  member?: number;
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

/**
 * Why a command was not persisted: its target (or, for a member's post, its flow) is gone, the
 * member may no longer post there, its uuid belongs to another sender, or the store refused it
 * for good (it is kept as a dead letter).
 */
export type PersistErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'MESSAGE_NOT_SAVED' | 'INTERNAL';

/** The backend's answer to one command, published on the command's `replyTo` channel once persisted. */
export interface PersistReply {
  uuid: string;
  conversation: ConversationKey;
  /** The command's actor: two senders' commands with one uuid get one reply each. */
  actor: string;
  /** The command's `ref`, when it had one. */
  ref?: string;
  message?: MessageJson;
  /** The message was stored before this command (a retry of its uuid): REST answers `Idempotent-Replayed: true`. */
  replayed?: boolean;
  /**
   * The store checked the post's `member` as it wrote it (ADR 035): the edge may admit that
   * member's next posts there from memory. Absent where the store does not check (MongoDB), or
   * from a backend that predates the check, so an edge never caches on a write path that cannot honour it.
   */
  posterChecked?: boolean;
  error?: { code: PersistErrorCode; message: string };
}

/** The head of the reply to `command`: what the edge matches it to its waiter by. */
export function replyHead(command: QueueCommand): Pick<PersistReply, 'uuid' | 'conversation' | 'actor' | 'ref'> {
  return { uuid: command.uuid, conversation: command.conversation, actor: command.actor, ...(command.ref ? { ref: command.ref } : {}) };
}
