/**
 * The results of a tag filter or a search, shown in place of the flow's history: the newest 100
 * matches from the REST API (`tags=`, `search=`), oldest first, "Show earlier results" for the 100
 * before them (`skip=`), and a way back to the flow.
 */
import { useEffect, useState } from 'preact/hooks';
import { HISTORY_PAGE, searchMessages } from '../api';
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
  /** A full page came back last: there may be earlier matches. */
  const [more, setMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const show = (page: ChatMessage[], before: readonly ChatMessage[]) => {
    // Skipping counts from the newest match: one posted meanwhile shifts the pages, so a match may come twice.
    const seen = new Set(before.map((m) => m.id));
    setFound([...page.filter((m) => !seen.has(m.id)), ...before]);
    setMore(page.length === HISTORY_PAGE);
  };
  // Keyed by its query (ConversationView), so a new query starts empty rather than showing the last one's results.
  useEffect(() => {
    let current = true;
    searchMessages(base, query).then(
      (messages) => current && show(messages, []),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [base, query]);

  async function showEarlier() {
    if (!found) return;
    setLoadingMore(true);
    try {
      show(await searchMessages(base, query, found.length), found);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoadingMore(false);
    }
  }

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
      {more && (
        <p class="center earlier">
          <button type="button" class="link" disabled={loadingMore} onClick={showEarlier}>
            {loadingMore ? 'Loading…' : 'Show earlier results'}
          </button>
        </p>
      )}
      {found?.map((m, index) => (
        <MessageItem key={m.uuid} message={m} author={members.get(m.user)} mine={false} position={{ index, of: found.length }} onTag={onTag} onRetry={ignore} onEdit={ignore} onDelete={ignore} />
      ))}
    </section>
  );
}
