/** One message: an `article` with its author, time and text. The text is a text node: markup in it shows as markup, never runs. */
import type { ChatMessage, User } from '../types';

const AVATAR_COLOURS = 8;

function colourOf(userId: string): string {
  let h = 0;
  for (const c of userId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `c${h % AVATAR_COLOURS}`;
}

const timeOf = (sent: number): string => new Date(sent).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function MessageItem({ message, author, onRetry }: { message: ChatMessage; author: User | undefined; onRetry(): void }) {
  const name = author?.nick ?? (message.user === '0' ? 'integration' : `user ${message.user}`);
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
        </header>
        <p class="text">{message.text}</p>
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
