/** The composer: a textbox named "Message"; Enter sends, Shift+Enter is a new line. */
import { useRef, useState } from 'preact/hooks';

/** At most one typing event per this long while typing. */
const TYPING_EVERY_MS = 2000;

export function Composer({ flowName, onSend, onTyping }: { flowName: string; onSend(text: string): void; onTyping(): boolean }) {
  const [text, setText] = useState('');
  const lastTyping = useRef(0);

  function send() {
    if (!text.trim()) return;
    onSend(text);
    setText('');
    lastTyping.current = 0;
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        aria-label="Message"
        aria-keyshortcuts="Alt+M"
        placeholder={`Message ${flowName}`}
        rows={1}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (e.currentTarget.value && Date.now() - lastTyping.current > TYPING_EVERY_MS && onTyping()) lastTyping.current = Date.now();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}
