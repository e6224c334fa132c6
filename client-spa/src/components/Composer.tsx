/** The composer: a textbox named "Message"; Enter sends, Shift+Enter is a new line. */
import { useState } from 'preact/hooks';

export function Composer({ flowName, onSend }: { flowName: string; onSend(text: string): void }) {
  const [text, setText] = useState('');

  function send() {
    if (!text.trim()) return;
    onSend(text);
    setText('');
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
        placeholder={`Message ${flowName}`}
        rows={1}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
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
