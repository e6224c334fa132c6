/** Builders of messages, threads and batches for the message store contract suite. */
import { randomBytes } from 'node:crypto';
import type { ConversationKey, MessageJson, ThreadState } from '../domain/types';
import type { Fence, MessageBatch, MessageStore } from '../ports/message-store';

const BASE_TIME = Date.UTC(2024, 0, 1);

/** A shard that no test gives a lease row, so that any token is accepted on it. */
export const UNLEASED: Fence = { shard: 990_001, token: 1 };

/** A conversation key of its own for each test, so that tests sharing one store stay apart. */
export function freshConversation(prefix = 'flow'): ConversationKey {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A plain chat message with id `id`; `over` replaces any field. */
export function message(id: number, over: Partial<MessageJson> & Record<string, unknown> = {}): MessageJson {
  return {
    id,
    uuid: `uuid-${id}`,
    event: 'message',
    content: `message number ${id}`,
    tags: [],
    user: '1',
    flow: 'f1',
    sent: BASE_TIME + id * 1000,
    created_at: new Date(BASE_TIME + id * 1000).toISOString(),
    edited: null,
    app: 'chat',
    attachments: [],
    ...over,
  };
}

/** Messages with ids from..to (inclusive), each built by `message`. */
export function messages(from: number, to: number): MessageJson[] {
  return Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
}

/** A thread updated at `minute` minutes past the base time. */
export function thread(id: string, minute: number, over: Partial<ThreadState> = {}): ThreadState {
  return {
    id,
    title: `Thread ${id}`,
    initial_message: 1,
    flow: 'f1',
    activities: 0,
    internal_comments: 0,
    external_comments: 0,
    status: null,
    created_at: new Date(BASE_TIME).toISOString(),
    updated_at: new Date(BASE_TIME + minute * 60_000).toISOString(),
    ...over,
  };
}

/** A batch for one conversation. */
export function batch(
  conversation: ConversationKey,
  parts: { inserts?: MessageJson[]; updates?: MessageJson[]; threads?: ThreadState[] },
): MessageBatch {
  return {
    inserts: (parts.inserts ?? []).map((m) => ({ conversation, message: m })),
    updates: (parts.updates ?? []).map((m) => ({ conversation, message: m })),
    threads: (parts.threads ?? []).map((t) => ({ conversation, thread: t })),
  };
}

/** Inserts messages into a conversation on the unleased shard. */
export async function insert(store: MessageStore, conversation: ConversationKey, ...ms: MessageJson[]): Promise<void> {
  await store.writeBatch(batch(conversation, { inserts: ms }), UNLEASED);
}

/** The ids of a list of messages, for compact assertions. */
export const ids = (ms: MessageJson[]): number[] => ms.map((m) => m.id);
