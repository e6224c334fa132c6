/** The flow header's filter box: `#tag` words filter by tag, other words search the flow (Enter applies, Escape clears). */
import { useEffect, useState } from 'preact/hooks';
import { filterText, type MessageQuery, parseFilter } from '../message-query';

interface Props {
  query: MessageQuery | null;
  onQuery(query: MessageQuery | null): void;
}

export function FilterBox({ query, onQuery }: Props) {
  const [text, setText] = useState('');
  // A clicked tag or "Back to the flow" changes the query from outside: the box shows it.
  useEffect(() => setText(query ? filterText(query) : ''), [query]);
  return (
    <search class="filter">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onQuery(parseFilter(text));
        }}
      >
        <input
          type="search"
          aria-label="Search messages or filter by #tag"
          placeholder="Search or #tag"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onQuery(null);
          }}
        />
      </form>
    </search>
  );
}
