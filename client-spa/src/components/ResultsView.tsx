/**
 * The results of a tag filter or a search, shown in place of the flow's history: the newest 100
 * matches from the REST API (`tags=`, `search=`), oldest first, and a way back to the flow.
 */
import { useEffect, useState } from 'preact/hooks';
import { searchMessages } from '../api';
import { describeQuery, type MessageQuery } from '../message-query';
import type { ChatMessage, User } from '../types';
import { MessageItem } from './MessageItem';

interface Props {
  /** The conversation's REST collection. */
  base: string;
  query: MessageQuery;
  members: ReadonlyMap<string, User>;
  onTag(tag: string): void;
  onBack(): void;
}

const ignore = async () => {};

export function ResultsView({ base, query, members, onTag, onBack }: Props) {
  const [found, setFound] = useState<ChatMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Keyed by its query (ConversationView), so a new query starts empty rather than showing the last one's results.
  useEffect(() => {
    let current = true;
    searchMessages(base, query).then(
      (messages) => current && setFound(messages),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [base, query]);

  const heading = describeQuery(query);
  return (
    <section class="messages results" aria-label={heading}>
      <header class="results-header">
        <h2>{heading}</h2>
        <button type="button" class="link" onClick={onBack}>
          Back to the flow
        </button>
      </header>
      {error && <p class="error center">Could not search: {error}</p>}
      {!found && !error && <p class="muted center">Searching…</p>}
      {found?.length === 0 && <p class="muted center">No messages found.</p>}
      {found?.map((m, index) => (
        <MessageItem key={m.uuid} message={m} author={members.get(m.user)} mine={false} position={{ index, of: found.length }} onTag={onTag} onRetry={ignore} onEdit={ignore} onDelete={ignore} />
      ))}
    </section>
  );
}
