/**
 * One message: an `article` with its author, time and text. The text is markdown rendered into
 * sanitized HTML (MessageText.tsx): raw markup in it shows as typed, never runs. One's own stored messages can be edited in place and deleted.
 */
import { useState } from 'preact/hooks';
import { hashtagsOf } from '../message-query';
import type { ChatMessage, User } from '../types';
import { AppLink } from './AppLink';
import { FileAttachment } from './FileAttachment';
import { MessageText } from './MessageText';

const AVATAR_COLOURS = 8;

function colourOf(userId: string): string {
  let h = 0;
  for (const c of userId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `c${h % AVATAR_COLOURS}`;
}

const timeOf = (sent: number): string => new Date(sent).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

interface Props {
  message: ChatMessage;
  author: User | undefined;
  /** The signed-in user wrote it (and it is stored): it may be edited and deleted. */
  mine: boolean;
  /** Where it stands among the loaded messages (a virtualized list holds only some in the DOM). */
  position?: { index: number; of: number };
  /** A hashtag under the message was clicked: filter the flow by it. */
  onTag?(tag: string): void;
  onRetry(): void;
  onEdit(text: string): Promise<void>;
  onDelete(): Promise<void>;
  /** In a flow: the URL of the message's thread beside the flow, and how many replies it has among the loaded messages. */
  thread?: { href: string; replies: number };
}

export function MessageItem({ message, author, mine, position, onTag, onRetry, onEdit, onDelete, thread }: Props) {
  const name = author?.nick ?? (message.user === '0' ? 'integration' : `user ${message.user}`);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function attempt(change: () => Promise<void>) {
    setError(null);
    try {
      await change();
      setDraft(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  const save = () => (draft?.trim() && draft !== message.text ? attempt(() => onEdit(draft)) : setDraft(null));

  return (
    <article
      class={`message${message.pending ? ' pending' : ''}${message.failed ? ' failed' : ''}`}
      aria-posinset={position ? position.index + 1 : undefined}
      aria-setsize={position?.of}
    >
      <span class={`avatar ${colourOf(message.user)}`} aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <div class="body">
        <header>
          <span class="author">{name}</span>
          <time dateTime={new Date(message.sent).toISOString()}>{timeOf(message.sent)}</time>
          {message.edited && <span class="muted"> (edited)</span>}
          {message.pending && !message.failed && <span class="muted"> {message.queued ? 'waiting for the connection…' : 'sending…'}</span>}
          {mine && draft === null && !message.file && (
            <span class="actions">
              <button type="button" class="link" onClick={() => setDraft(message.text)}>
                Edit
              </button>
              <button type="button" class="link" onClick={() => confirm('Delete this message?') && attempt(onDelete)}>
                Delete
              </button>
            </span>
          )}
        </header>
        {message.file ? (
          <FileAttachment file={message.file} />
        ) : draft === null ? (
          <MessageText text={message.text} />
        ) : (
          <form
            class="edit"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <textarea
              aria-label="Edit message"
              value={draft}
              ref={(el) => el?.focus()}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setDraft(null);
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  void save();
                }
              }}
            />
            <button type="submit">Save</button>
            <button type="button" class="link" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </form>
        )}
        {thread && <ThreadLine message={message} thread={thread} />}
        {onTag && <TagList tags={hashtagsOf(message.tags)} onTag={onTag} />}
        {error && <p class="error">{error}</p>}
        {message.failed && (
          <p class="error">
            Not sent: {message.failed}{' '}
            <button type="button" class="link" onClick={onRetry}>
              Retry
            </button>
          </p>
        )}
      </div>
    </article>
  );
}

/** Under a message in a flow: a reply says which thread it is in; a message that started one offers "Reply" and counts its replies. */
function ThreadLine({ message, thread }: { message: ChatMessage; thread: { href: string; replies: number } }) {
  if (message.replyIn !== undefined) {
    return (
      <p class="thread-line muted">
        in thread <AppLink href={thread.href}>{message.replyIn}</AppLink>
      </p>
    );
  }
  return (
    <p class="thread-line">
      <AppLink class="link" href={thread.href}>
        Reply
      </AppLink>
      {thread.replies > 0 && (
        <AppLink class="link replies" href={thread.href}>
          {thread.replies === 1 ? '1 reply' : `${thread.replies} replies`}
        </AppLink>
      )}
    </p>
  );
}

function TagList({ tags, onTag }: { tags: readonly string[]; onTag(tag: string): void }) {
  if (!tags.length) return null;
  return (
    <p class="tags">
      {tags.map((t) => (
        <button key={t} type="button" class="tag" aria-label={`Filter by #${t}`} onClick={() => onTag(t)}>
          #{t}
        </button>
      ))}
    </p>
  );
}
