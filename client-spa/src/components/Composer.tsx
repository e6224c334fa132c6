/**
 * The composer: a textbox named "Message"; Enter sends, Shift+Enter is a new line. Typing `@`
 * suggests the conversation's members (a listbox the textbox controls): ↑/↓ choose, Enter or Tab
 * completes, Escape closes.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { complete, mentionAt, suggestions } from '../mention';
import type { User } from '../types';

/** At most one typing event per this long while typing. */
const TYPING_EVERY_MS = 2000;

interface Props {
  flowName: string;
  /** The textbox's name: "Message" in a flow, "Reply" in a thread. */
  label?: string;
  members: readonly User[];
  onSend(text: string): void;
  /** False when it could not be told (not connected yet). */
  onTyping(): boolean;
}

export function Composer({ flowName, label = 'Message', members, onSend, onTyping }: Props) {
  // Two composers can be on screen (the flow's and a thread's): their listboxes' ids must differ.
  const ids = label.toLowerCase();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [chosen, setChosen] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);
  const at = dismissed ? null : mentionAt(text, caret);
  const options = at ? suggestions(members, at.query) : [];
  const open = options.length > 0;
  const active = Math.min(chosen, options.length - 1);

  function send() {
    if (!text.trim()) return;
    onSend(text);
    setText('');
    setCaret(0);
    lastTyping.current = 0;
  }

  function pick(user: User) {
    const next = complete(text, caret, user.nick);
    setText(next.text);
    setCaret(next.caret);
    setChosen(0);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  }

  function onKeyDown(e: KeyboardEvent) {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setChosen((active + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      e.preventDefault();
      pick(options[active]!);
    } else if (open && e.key === 'Escape') {
      setDismissed(true);
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {open && (
        <div class="mentions" id={`${ids}-mention-options`} role="listbox" aria-label="People to mention">
          {options.map((u, i) => (
            <div
              key={u.id}
              id={`${ids}-mention-${u.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the focus in the textbox
                pick(u);
              }}
            >
              <strong>{u.nick}</strong> <span class="muted">{u.name}</span>
            </div>
          ))}
        </div>
      )}
      <textarea
        ref={box}
        aria-label={label}
        aria-keyshortcuts={label === 'Message' ? 'Alt+M' : undefined}
        aria-autocomplete="list"
        aria-controls={open ? `${ids}-mention-options` : undefined}
        aria-activedescendant={open ? `${ids}-mention-${options[active]!.id}` : undefined}
        placeholder={`${label} ${label === 'Message' ? flowName : `in “${flowName}”`}`}
        rows={1}
        value={text}
        onInput={(e) => {
          const el = e.currentTarget;
          setText(el.value);
          setCaret(el.selectionStart);
          setDismissed(false);
          setChosen(0);
          if (el.value && Date.now() - lastTyping.current > TYPING_EVERY_MS && onTyping()) lastTyping.current = Date.now();
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart)}
      />
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}

/**
 * What stands below a conversation: its composer (`children`), or in an archived flow a note
 * instead, as its history stays readable and nobody can post to it (the server answers 403).
 */
export function PostingArea({ archived, children }: { archived: boolean; children: ComponentChildren }) {
  if (!archived) return <>{children}</>;
  return (
    <p class="archived-note muted">
      This flow is archived: you can read it, but nobody can post to it.
    </p>
  );
}
