/**
 * A flow or a private conversation: its history in a virtualized list (newest at the bottom, kept in
 * view while you are at the bottom), a filter by #tag or a search (shown instead of the history until
 * you go back), and the composer. A flow has two tabs: its chat and its team inbox (InboxView.tsx);
 * each chat message links to its thread, which opens beside the flow (ThreadPanel.tsx).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { filterText, type MessageQuery } from '../message-query';
import { type MessageLog, replyCounts, visibleMessages } from '../message-log';
import { flowUrl } from '../route';
import { typingSentence } from '../typing';
import type { ChatMessage, Conversation, FlowEvent } from '../types';
import { Composer, PostingArea } from './Composer';
import { FileUploadBar, useFileUploads } from './FileUploads';
import { FilterBox } from './FilterBox';
import { FlowSettings } from './FlowSettings';
import { InboxView } from './InboxView';
import { MessageItem } from './MessageItem';
import { ResultsView } from './ResultsView';
import { VirtualList } from './VirtualList';

interface Props {
  conversation: Conversation;
  log: MessageLog | undefined;
  /** A flow's `org/flow` (threads and the inbox are the flows'); absent for a private conversation. */
  flowPath?: string | undefined;
  /** The flow's team inbox, once opened. */
  inbox?: readonly FlowEvent[] | undefined;
  onOpenInbox?(): Promise<void>;
  onSend(text: string): void;
  onRetry(message: ChatMessage): void;
  /** The signed-in user's id, as messages name their author. */
  me: string;
  onEdit(message: ChatMessage, text: string): Promise<void>;
  onDelete(message: ChatMessage): Promise<void>;
  /** Fetches the page before the oldest loaded one. */
  onLoadEarlier(): Promise<void>;
  /** User ids typing in this flow now (others only). */
  typing: readonly string[];
  /** The user typed in the composer; false when it could not be told (not connected yet). */
  onTyping(): boolean;
}

export function ConversationView({ conversation: c, log, flowPath, inbox, onOpenInbox, onSend, onRetry, me, onEdit, onDelete, onLoadEarlier, typing, onTyping }: Props) {
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const loading = useRef(false);
  const [query, setQuery] = useState<MessageQuery | null>(null);
  const [tab, setTab] = useState<'chat' | 'inbox'>('chat');
  const messages = useMemo(() => (log ? visibleMessages(log) : []), [log]);
  const replies = useMemo(() => replyCounts(messages), [messages]);
  const users = c.members;
  const files = useFileUploads(c.base);

  async function loadEarlier() {
    if (loading.current || !log?.hasEarlier) return;
    loading.current = true;
    setLoadingEarlier(true);
    try {
      await onLoadEarlier();
    } finally {
      loading.current = false;
      setLoadingEarlier(false);
    }
  }

  useEffect(() => {
    setQuery(null);
    setTab('chat');
    document.title = `${c.title} · Tributary`;
    // Opening a flow is for writing in it; on a touch screen a focused box would cover it with the keyboard.
    if (matchMedia('(pointer: fine)').matches) document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
  }, [c.key]);

  const renderRow = (m: ChatMessage, index: number) => (
    <MessageItem
      message={m}
      author={users.get(m.user)}
      mine={m.user === me && m.id !== undefined && c.flowId !== undefined}
      position={{ index, of: messages.length }}
      onTag={(tag) => setQuery({ tags: [tag] })}
      onRetry={() => onRetry(m)}
      onEdit={(text) => onEdit(m, text)}
      onDelete={() => onDelete(m)}
      {...(flowPath && m.threadId ? { thread: { href: flowUrl(`${flowPath}/threads/${encodeURIComponent(m.threadId)}`), replies: replies.get(m.threadId) ?? 0 } } : {})}
    />
  );

  return (
    <main class="flow" {...files.handlers}>
      <header class="flow-header">
        <h1>{c.title}</h1>
        <span class="muted">{c.subtitle}</span>
        {flowPath && (
          <div role="tablist" aria-label="Views" class="tabs">
            {(['chat', 'inbox'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                {t === 'chat' ? 'Chat' : 'Inbox'}
              </button>
            ))}
          </div>
        )}
        {tab === 'chat' && <FilterBox query={query} onQuery={setQuery} />}
        {flowPath && <FlowSettings key={c.key} base={c.base} revision={c.revision ?? 0} />}
      </header>
      {tab === 'inbox' && flowPath && onOpenInbox ? (
        <InboxView flowPath={flowPath} items={inbox} onOpen={onOpenInbox} />
      ) : query ? (
        <ResultsView key={`${c.key} ${filterText(query)}`} base={c.base} query={query} members={users} onTag={(tag) => setQuery({ tags: [tag] })} onBack={() => setQuery(null)} />
      ) : !log ? (
        <p class="muted center messages">Loading…</p>
      ) : (
        <VirtualList
          key={c.key}
          items={messages}
          keyOf={(m) => m.uuid}
          renderRow={renderRow}
          label={`Messages in ${c.title}`}
          onNearTop={() => void loadEarlier()}
          header={
            <>
              {log.hasEarlier && (
                <p class="center earlier">
                  <button type="button" class="link" disabled={loadingEarlier} onClick={loadEarlier}>
                    {loadingEarlier ? 'Loading…' : 'Load earlier messages'}
                  </button>
                </p>
              )}
              {messages.length === 0 && <p class="muted center">No messages yet. Say hello!</p>}
            </>
          }
        />
      )}
      {tab === 'chat' && (
        <>
      <p class="typing muted" aria-live="polite">
        {typingSentence(typing.map((id) => users.get(id)?.nick ?? `user ${id}`))}
      </p>
      <PostingArea archived={c.archived === true}>
        <FileUploadBar {...files} />
        <Composer flowName={c.title} members={[...c.members.values()].filter((u) => String(u.id) !== me)} onSend={onSend} onTyping={onTyping} />
      </PostingArea>
        </>
      )}
    </main>
  );
}
