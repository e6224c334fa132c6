/**
 * A flow's team inbox, apart from its chat: integration items (`activity` and `discussion` events)
 * newest first, each with its source, author, headline and body as text, and its thread's title,
 * status, fields and actions (ThreadDetails.tsx), linking to the thread beside the flow.
 * Everything an integration sends is shown as text: a title or a body holding markup never runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { htmlText } from '../html-text';
import { flowUrl } from '../route';
import type { FlowEvent } from '../types';
import { AppLink } from './AppLink';
import { ThreadDetails } from './ThreadDetails';

interface Props {
  /** `org/flow`: threads open under it. */
  flowPath: string;
  items: readonly FlowEvent[] | undefined;
  onOpen(): Promise<void>;
}

export function InboxView({ flowPath, items, onOpen }: Props) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    onOpen().catch((err: Error) => setError(err.message));
  }, [flowPath]);

  const newestFirst = items ? [...items].reverse() : [];
  return (
    <section class="messages inbox" aria-label="Team inbox">
      {error && <p class="error center">Could not load the inbox: {error}</p>}
      {!items && !error && <p class="muted center">Loading…</p>}
      {items?.length === 0 && <p class="muted center">Nothing in the inbox: integrations post here.</p>}
      {newestFirst.map((item) => (
        <article key={item.id} class="inbox-item">
          <header>
            <span class="author">{item.author?.name ?? 'integration'}</span>
            <span class="muted"> {item.event === 'discussion' ? 'commented' : ''}</span>
            <span class="item-title"> {item.title ?? ''}</span>
            <time dateTime={new Date(item.sent).toISOString()}>{new Date(item.sent).toLocaleString()}</time>
          </header>
          {item.body && <p class="item-body">{htmlText(item.body)}</p>}
          {item.thread && (
            <div class="item-thread">
              <AppLink href={flowUrl(`${flowPath}/threads/${encodeURIComponent(item.thread.id)}`)}>{item.thread.title}</AppLink>
              <ThreadDetails thread={item.thread} />
            </div>
          )}
        </article>
      ))}
    </section>
  );
}
