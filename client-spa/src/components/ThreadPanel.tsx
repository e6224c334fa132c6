/**
 * A thread read beside its flow (`/app/:org/:flow/threads/:id`): its title and state, its messages
 * (the one that started it, then the replies), live, and a composer named "Reply" that posts into
 * the thread (`thread_id`) through the outbox like any post.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type MessageLog, visibleMessages } from '../message-log';
import { flowUrl } from '../route';
import type { ChatMessage, Conversation, Thread } from '../types';
import { AppLink } from './AppLink';
import { Composer, PostingArea } from './Composer';
import { MessageItem } from './MessageItem';
import { ThreadDetails } from './ThreadDetails';

interface Props {
  conversation: Conversation;
  /** `org/flow`: where "Close" leads. */
  flowPath: string;
  threadId: string;
  thread: Thread | undefined;
  log: MessageLog | undefined;
  me: string;
  onOpen(): Promise<void>;
  onSend(text: string): void;
  onRetry(message: ChatMessage): void;
  onEdit(message: ChatMessage, text: string): Promise<void>;
  onDelete(message: ChatMessage): Promise<void>;
  onTyping(): boolean;
}

export function ThreadPanel({ conversation: c, flowPath, threadId, thread, log, me, onOpen, onSend, onRetry, onEdit, onDelete, onTyping }: Props) {
  const [error, setError] = useState<string | null>(null);
  const messages = useMemo(() => (log ? visibleMessages(log) : []), [log]);
  useEffect(() => {
    setError(null);
    onOpen().catch((err: Error) => setError(err.message));
  }, [threadId]);

  return (
    <section class="thread-panel" aria-label="Thread">
      <header class="thread-header">
        <h2>{thread ? thread.title : 'Thread'}</h2>
        <AppLink class="link" href={flowUrl(flowPath)}>
          Close thread
        </AppLink>
      </header>
      {thread && <ThreadDetails thread={thread} />}
      {error && <p class="error center">Could not open the thread: {error}</p>}
      <div class="thread-messages" role="log" aria-label="Messages in the thread">
        {!thread && !error && <p class="muted center">Loading…</p>}
        {messages.map((m) => (
          <MessageItem
            key={m.uuid}
            message={m}
            author={c.members.get(m.user)}
            mine={m.user === me && m.id !== undefined}
            onRetry={() => onRetry(m)}
            onEdit={(text) => onEdit(m, text)}
            onDelete={() => onDelete(m)}
          />
        ))}
      </div>
      <PostingArea archived={c.archived === true}>
        <Composer flowName={thread?.title ?? 'the thread'} label="Reply" members={[...c.members.values()].filter((u) => String(u.id) !== me)} onSend={onSend} onTyping={onTyping} />
      </PostingArea>
    </section>
  );
}
