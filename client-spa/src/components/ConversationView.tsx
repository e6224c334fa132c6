/** A flow or a private conversation: its history (newest at the bottom, kept in view while you are at the bottom) and the composer. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type MessageLog, visibleMessages } from '../message-log';
import { typingSentence } from '../typing';
import type { ChatMessage, Conversation } from '../types';
import { Composer } from './Composer';
import { FileUploadBar, useFileUploads } from './FileUploads';
import { MessageItem } from './MessageItem';

interface Props {
  conversation: Conversation;
  log: MessageLog | undefined;
  thread?: string | undefined;
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

/** Within this many pixels of the bottom counts as reading the newest messages. */
const STICK_PX = 80;

export function ConversationView({ conversation: c, log, thread, onSend, onRetry, me, onEdit, onDelete, onLoadEarlier, typing, onTyping }: Props) {
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** While an earlier page loads: the distance from the list's end, kept so what you read stays put. */
  const anchor = useRef<number | null>(null);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const messages = log ? visibleMessages(log) : [];
  const users = c.members;
  const files = useFileUploads(c.base);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (anchor.current !== null) {
      el.scrollTop = el.scrollHeight - anchor.current;
      anchor.current = null;
    } else if (atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, c.key]);

  async function loadEarlier() {
    const el = list.current;
    if (el) anchor.current = el.scrollHeight - el.scrollTop;
    setLoadingEarlier(true);
    try {
      await onLoadEarlier();
    } finally {
      setLoadingEarlier(false);
      // A page with no new message renders nothing: drop the anchor after the render, used or not.
      requestAnimationFrame(() => {
        anchor.current = null;
      });
    }
  }

  useEffect(() => {
    atBottom.current = true;
    document.title = `${c.title} · Tributary`;
    // Opening a flow is for writing in it; on a touch screen a focused box would cover it with the keyboard.
    if (matchMedia('(pointer: fine)').matches) document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
  }, [c.key]);

  return (
    <main class="flow" {...files.handlers}>
      <header class="flow-header">
        <h1>{c.title}</h1>
        <span class="muted">{c.subtitle}</span>
        {thread && <span class="muted"> · thread view is not built yet: showing the flow</span>}
      </header>
      <div
        class="messages"
        ref={list}
        role="log"
        aria-label={`Messages in ${c.title}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
        }}
      >
        {!log && <p class="muted center">Loading…</p>}
        {log?.hasEarlier && (
          <p class="center earlier">
            <button type="button" class="link" disabled={loadingEarlier} onClick={loadEarlier}>
              {loadingEarlier ? 'Loading…' : 'Load earlier messages'}
            </button>
          </p>
        )}
        {log && messages.length === 0 && <p class="muted center">No messages yet. Say hello!</p>}
        {messages.map((m) => (
          <MessageItem
            key={m.uuid}
            message={m}
            author={users.get(m.user)}
            mine={m.user === me && m.id !== undefined && c.flowId !== undefined}
            onRetry={() => onRetry(m)}
            onEdit={(text) => onEdit(m, text)}
            onDelete={() => onDelete(m)}
          />
        ))}
      </div>
      <p class="typing muted" aria-live="polite">
        {typingSentence(typing.map((id) => users.get(id)?.nick ?? `user ${id}`))}
      </p>
      <FileUploadBar {...files} />
      <Composer flowName={c.title} members={[...c.members.values()].filter((u) => String(u.id) !== me)} onSend={onSend} onTyping={onTyping} />
    </main>
  );
}
