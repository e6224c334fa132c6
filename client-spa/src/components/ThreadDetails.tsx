/**
 * A thread's state as integrations set it (docs/api.md, "Threads"): status, fields, source and
 * actions. All of it is text: a title or a field holding markup shows it as typed. A `ViewAction`
 * is a link only to http(s), opened with noopener; an `UpdateAction` (a request the server would
 * make for the user) shows its name only, as the app does not run actions yet.
 */
import type { Thread } from '../types';

const SAFE_URL = /^https?:\/\//i;

export function ThreadDetails({ thread }: { thread: Thread }) {
  const actions = thread.actions ?? [];
  // A chat message's thread has none of these: no empty box beside it.
  if (!thread.status && !thread.source && !thread.fields?.length && !actions.length) return null;
  return (
    <div class="thread-details">
      {thread.status && (
        <span class={`status-badge ${/^[a-z]+$/.test(thread.status.color) ? thread.status.color : 'grey'}`}>
          <span class="visually-hidden">Status: </span>
          {thread.status.value}
        </span>
      )}
      {thread.source && <span class="muted"> from {thread.source.name}</span>}
      {thread.fields && thread.fields.length > 0 && (
        <dl class="fields">
          {thread.fields.map((f, i) => (
            <div key={i}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {actions.length > 0 && (
        <p class="thread-actions">
          {actions.map((a, i) =>
            a['@type'] === 'ViewAction' && a.url && SAFE_URL.test(a.url) ? (
              <a key={i} href={a.url} target="_blank" rel="noopener noreferrer">
                {a.name}
              </a>
            ) : (
              <span key={i} class="muted">
                {a.name}
              </span>
            ),
          )}
        </p>
      )}
    </div>
  );
}
