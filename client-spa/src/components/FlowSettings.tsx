/**
 * A flow's settings, behind a button in its header: its join link (docs/adr/030-join-links.md), to
 * copy and share, replace with a new one (the old one stops working) or turn off. Any member may.
 */
import { useEffect, useState } from 'preact/hooks';
import { joinLink, newJoinLink, turnOffJoinLink } from '../api';

/** `base`: the flow's REST path, `/flows/org/flow`. */
export function FlowSettings({ base }: { base: string }) {
  const [open, setOpen] = useState(false);
  /** undefined while loading; null: the flow has no join link. */
  const [link, setLink] = useState<string | null | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');

  async function run(change: () => Promise<string | null>, done: string) {
    setError('');
    setNotice('');
    try {
      setLink(await change());
      setNotice(done);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  useEffect(() => {
    if (open) void run(() => joinLink(base), '');
  }, [open, base]);

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setNotice('Join link copied');
    } catch {
      setError('The browser did not allow copying: select the link and copy it');
    }
  }

  return (
    <div class="flow-settings">
      <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        Flow settings
      </button>
      {open && (
        <section class="settings-panel" aria-label="Flow settings">
          <label>
            Join link <input readOnly value={link ?? ''} placeholder={link === undefined ? 'Loading…' : 'No join link'} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div class="settings-actions">
            <button type="button" disabled={!link} onClick={copy}>
              Copy join link
            </button>
            <button type="button" onClick={() => run(() => newJoinLink(base), 'A new join link: the old one no longer works')}>
              New join link
            </button>
            <button type="button" disabled={!link} onClick={() => run(() => turnOffJoinLink(base).then(() => null), 'Join link turned off')}>
              Turn off join link
            </button>
          </div>
          <p class="muted" aria-live="polite">
            {notice}
          </p>
          {error && <p role="alert">{error}</p>}
        </section>
      )}
    </div>
  );
}
