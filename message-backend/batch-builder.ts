/**
 * BatchBuilder: turns one shard's queued commands into a single store batch, the events to
 * publish once it is stored, and the replies owed to the waiting edges. Retries (a uuid already
 * stored, or twice in the batch) resolve to the stored message instead of a second copy; a uuid
 * is its sender's own, so the same uuid from another sender is answered CONFLICT.
 */
import { type ConversationKey, type MessageJson, type ThreadState, isPrivateConversation, privateParticipants } from '../core/domain/types';
import { type DeleteCommand, type EditCommand, type PersistReply, type PostCommand, type QueueCommand, replyHead } from '../core/messaging/commands';
import { sameSender, uuidTakenMessage } from '../core/messaging/uuid-owner';
import { messageDeleteEvent, messageEditEvent, postedMessage, type StoredEventHead, tagChangeEvent } from '../core/events/stored-events';
import type { MessageBatch, MessageStore, PosterCheck } from '../core/ports/message-store';
import type { Sequencer } from './sequencer';
import { nextThreadState } from './threads';

type PersistError = NonNullable<PersistReply['error']>;

/** Whether a batch is built knowing which of its uuids are stored, or assuming none is. */
export type UuidCheck = 'look-up' | 'assume-new';

/**
 * Whether a batch may be built with `'assume-new'`: only when every command is a post. A post always
 * inserts a row under its own uuid, and `(conversation, uuid)` is unique in every store, so a retry
 * of a stored post cannot be written twice: the whole batch statement fails with StoreConflictError
 * and nothing of it is stored. Edits and deletions are looked up as before (a retry of one may
 * insert nothing, so the constraint would not catch it; they are rare).
 */
export function assumesNewUuids(commands: readonly QueueCommand[]): boolean {
  return commands.every((c) => c.kind === 'post');
}

/** The key of one member posting into one flow: the builder lists each once, the writer matches refusals to posts by it. */
export const posterKey = (flowId: string, userId: number): string => `${flowId}\u0000${userId}`;

/** The member a post's store checks as it writes it (ADR 035): a member's post into a flow, not a source's nor a private message. */
function posterOf(command: PostCommand): PosterCheck | null {
  return command.member !== undefined && !isPrivateConversation(command.conversation) ? { flowId: command.conversation, userId: command.member } : null;
}

export interface Outcome {
  batch: MessageBatch;
  /** Messages to publish after the batch is stored, in id order per conversation. */
  events: MessageJson[];
  /** Replies by channel, published after the events. */
  replies: { channel: string; reply: PersistReply }[];
  /** Conversation → last id used, to commit into the sequencer once stored. */
  lastIds: Map<ConversationKey, number>;
}

function otherParticipant(key: ConversationKey, actor: string): number {
  const [a, b] = privateParticipants(key);
  return String(a) === actor ? b : a;
}

/** Per-conversation working state while one batch is built. */
class ConversationDraft {
  readonly byUuid = new Map<string, MessageJson>();
  readonly byId = new Map<number, MessageJson>();
  readonly threads = new Map<string, ThreadState>();
  /** Stored messages this batch replaces (edits, deletions), by id. */
  readonly updated = new Map<number, MessageJson>();
  constructor(
    readonly key: ConversationKey,
    public lastId: number,
  ) {}
}

export class BatchBuilder {
  private readonly conversations = new Map<ConversationKey, ConversationDraft>();
  /** The members whose posts the batch inserts, once per flow and member ({@link posterKey}). */
  private readonly posters = new Map<string, PosterCheck>();
  private readonly outcome: Outcome = { batch: { inserts: [], updates: [], threads: [] }, events: [], replies: [], lastIds: new Map() };

  constructor(
    private readonly store: MessageStore,
    private readonly sequencer: Sequencer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Builds the outcome of these commands, in queue order. `uuids: 'assume-new'` skips the look-up
   * of stored uuids (a database round trip): the caller must then treat the store's uuid conflict
   * as "some command is a retry" and build again with `'look-up'` (see {@link assumesNewUuids}).
   */
  async build(commands: QueueCommand[], uuids: UuidCheck = 'look-up'): Promise<Outcome> {
    if (uuids === 'look-up') await this.loadExisting(commands);
    for (const command of commands) {
      const conversation = await this.conversation(command.conversation);
      const inserted = this.outcome.batch.inserts.length;
      const result =
        command.kind === 'post' ? await this.post(conversation, command)
        : command.kind === 'edit' ? await this.edit(conversation, command)
        : await this.remove(conversation, command);
      const head = replyHead(command);
      this.outcome.replies.push({
        channel: command.replyTo,
        reply:
          result === null ? { ...head, error: { code: 'NOT_FOUND', message: `message ${'target' in command ? command.target : ''} not found` } }
          : 'code' in result ? { ...head, error: result }
          // A post that inserted nothing was answered with the message its uuid already names.
          : { ...head, message: result, ...this.postFacts(command, this.outcome.batch.inserts.length > inserted) },
      });
    }
    if (this.posters.size) this.outcome.batch.posters = [...this.posters.values()];
    for (const c of this.conversations.values()) {
      this.outcome.lastIds.set(c.key, c.lastId);
      for (const thread of c.threads.values()) this.outcome.batch.threads.push({ conversation: c.key, thread });
      for (const message of c.updated.values()) this.outcome.batch.updates.push({ conversation: c.key, message });
    }
    return this.outcome;
  }

  /** What a post's reply says besides its message: a retry's `replayed`, or that the store checks the poster of the row it inserts (ADR 035). */
  private postFacts(command: QueueCommand, insertedRow: boolean): Pick<PersistReply, 'replayed' | 'posterChecked'> {
    if (command.kind !== 'post') return {};
    if (!insertedRow) return { replayed: true };
    return posterOf(command) && this.store.checksPosters() ? { posterChecked: true } : {};
  }

  /** One store query per conversation, all at once, finds the uuids of this batch that are already stored. */
  private async loadExisting(commands: QueueCommand[]): Promise<void> {
    const uuids = new Map<ConversationKey, string[]>();
    for (const c of commands) {
      const list = uuids.get(c.conversation) ?? uuids.set(c.conversation, []).get(c.conversation)!;
      // An edit of text and tags made a second event, under `<uuid>:tags`.
      list.push(c.uuid, ...(c.kind === 'edit' ? [`${c.uuid}:tags`] : []));
    }
    // The conversations' look-ups go out together: one round trip's wait, not one per conversation.
    const found = await Promise.all([...uuids].map(([key, list]) => Promise.all([this.conversation(key), this.store.findByUuids(key, list)])));
    for (const [conversation, stored] of found) {
      for (const m of stored) {
        conversation.byUuid.set(m.uuid, m);
        // A stored retry is published again: its first publication may have been lost in a crash
        // between store and publish; subscribers drop ids they have already seen.
        this.outcome.events.push(m);
      }
    }
  }

  private async conversation(key: ConversationKey): Promise<ConversationDraft> {
    let c = this.conversations.get(key);
    if (!c) {
      c = new ConversationDraft(key, await this.sequencer.peek(key));
      this.conversations.set(key, c);
    }
    return c;
  }

  private append(c: ConversationDraft, message: MessageJson): MessageJson {
    c.byUuid.set(message.uuid, message);
    c.byId.set(message.id, message);
    this.outcome.batch.inserts.push({ conversation: c.key, message });
    this.outcome.events.push(message);
    return message;
  }

  private async thread(c: ConversationDraft, id: string): Promise<ThreadState | null> {
    return c.threads.get(id) ?? (await this.store.getThread(c.key, id));
  }

  private async post(c: ConversationDraft, command: PostCommand): Promise<MessageJson | PersistError> {
    const done = c.byUuid.get(command.uuid);
    // Another sender's message is never handed back (nor is the new one dropped in its favour).
    if (done) return sameSender(done, command.draft) ? done : { code: 'CONFLICT', message: uuidTakenMessage(command.uuid) };
    const now = this.now();
    const { thread: _threadInput, ...draft } = command.draft;
    const message: MessageJson = postedMessage(draft, ++c.lastId, now);
    const current = command.draft.thread_id ? await this.thread(c, command.draft.thread_id) : null;
    const thread = nextThreadState(command.draft, message, current, now);
    if (thread) {
      c.threads.set(thread.id, thread);
      message.thread_id = thread.id;
      message.thread = thread;
    }
    // A member's post is written only while they may still post there (ADR 035). A retry found by the
    // uuid look-up returned above: it inserts nothing and is not checked (built as new, it is: ShardBatchWriter).
    const poster = posterOf(command);
    if (poster) this.posters.set(posterKey(poster.flowId, poster.userId), poster);
    return this.append(c, message);
  }

  private async target(c: ConversationDraft, id: number): Promise<MessageJson | null> {
    return c.updated.get(id) ?? c.byId.get(id) ?? (await this.store.get(c.key, id));
  }

  private replace(c: ConversationDraft, message: MessageJson): void {
    if (c.byId.has(message.id)) {
      c.byId.set(message.id, message);
      const insert = this.outcome.batch.inserts.find((i) => i.conversation === c.key && i.message.id === message.id);
      if (insert) insert.message = message;
      return;
    }
    c.updated.set(message.id, message);
  }

  /**
   * The event an edit or delete produces, numbered next in the same conversation; a uuid already
   * used in this batch (a retry) yields the earlier event.
   */
  private event(c: ConversationDraft, command: EditCommand | DeleteCommand, uuid: string, build: (head: StoredEventHead) => MessageJson): MessageJson {
    const done = c.byUuid.get(uuid);
    if (done) return done;
    const address = isPrivateConversation(c.key) ? { to: String(otherParticipant(c.key, command.actor)) } : { flow: c.key };
    return this.append(c, build({ id: ++c.lastId, uuid, user: command.actor, address, now: this.now() }));
  }

  private async edit(c: ConversationDraft, command: EditCommand): Promise<MessageJson | null> {
    // A retry answers as the first try did: with the last event the edit made (the tag change, when it made two).
    const already = c.byUuid.get(`${command.uuid}:tags`) ?? c.byUuid.get(command.uuid);
    if (already) return already;
    const target = await this.target(c, command.target);
    if (!target) return null;
    let last: MessageJson | null = null;
    if (command.content !== undefined) {
      const updated = target.event === 'comment' ? { ...(target.content as object), text: command.content } : command.content;
      this.replace(c, { ...target, content: updated, edited: this.now().getTime() });
      last = this.event(c, command, command.uuid, (head) => messageEditEvent(head, target.id, updated));
    }
    if (command.tags !== undefined) {
      const before = new Set(target.tags.map((t) => t.toLowerCase()));
      const after = new Set(command.tags.map((t) => t.toLowerCase()));
      const current = (await this.target(c, target.id))!;
      this.replace(c, { ...current, tags: command.tags });
      const add = command.tags.filter((t) => !before.has(t.toLowerCase()));
      const remove = target.tags.filter((t) => !after.has(t.toLowerCase()));
      const uuid = command.content === undefined ? command.uuid : `${command.uuid}:tags`;
      last = this.event(c, command, uuid, (head) => tagChangeEvent(head, target.id, add, remove));
    }
    return last;
  }

  private async remove(c: ConversationDraft, command: DeleteCommand): Promise<MessageJson | null> {
    const already = c.byUuid.get(command.uuid);
    if (already) return already;
    const target = await this.target(c, command.target);
    if (!target) return null;
    const emptied = target.event === 'comment' ? { ...(target.content as object), text: '' } : '';
    this.replace(c, { ...target, content: emptied, edited: this.now().getTime() });
    return this.event(c, command, command.uuid, (head) => messageDeleteEvent(head, target.id, emptied));
  }
}
