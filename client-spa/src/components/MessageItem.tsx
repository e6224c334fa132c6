/**
 * One message: an `article` with its author, time and text. The text is a text node: markup in it
 * shows as markup, never runs. One's own stored messages can be edited in place and deleted.
 */
import { useState } from 'preact/hooks';
import type { ChatMessage, User } from '../types';
import { FileAttachment } from './FileAttachment';

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
  onRetry(): void;
  onEdit(text: string): Promise<void>;
  onDelete(): Promise<void>;
}

export function MessageItem({ message, author, mine, onRetry, onEdit, onDelete }: Props) {
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
    <article class={`message${message.pending ? ' pending' : ''}${message.failed ? ' failed' : ''}`}>
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
          <p class="text">{message.text}</p>
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
