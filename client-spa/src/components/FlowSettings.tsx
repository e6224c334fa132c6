/**
 * A flow's settings, behind a button in its header: how people join it (docs/adr/030-join-links.md).
 * A link-mode flow's join link can be copied, replaced with a new one (the old one stops working) or
 * turned off, by any member; an organization-mode flow's link can be copied; an invitation-mode
 * flow has none. An open panel follows changes others make: their `flow-update` changes the app's
 * copy of the flow, which hands the panel a new `revision`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type JoinSettings, joinSettings, newJoinLink, turnOffJoinLink } from '../api';

type AccessMode = JoinSettings['access_mode'];

const ABOUT: Record<AccessMode, string> = {
  link: 'Anyone with this link can join, from outside the organization too.',
  organization: 'Anyone in the organization can join with this link.',
  invitation: 'People join this flow by invitation.',
};

/** `base`: the flow's REST path, `/flows/org/flow`; `revision`: changes when a live update of the flow was applied. */
export function FlowSettings({ base, revision }: { base: string; revision: number }) {
  const [open, setOpen] = useState(false);
  /** Null while loading. */
  const [mode, setMode] = useState<AccessMode | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  /** Counts what changes the shown link (reads and the buttons' actions): only the newest one's answer is shown. */
  const changes = useRef(0);

  async function show(change: () => Promise<string | null>): Promise<void> {
    const mine = ++changes.current;
    const next = await change();
    if (mine === changes.current) setLink(next);
  }

  async function run(change: () => Promise<string | null>, done: string) {
    setError('');
    setNotice('');
    try {
      await show(change);
      setNotice(done);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const read = async (): Promise<string | null> => {
    const flow = await joinSettings(base);
    setMode(flow.access_mode);
    return flow.join_url;
  };

  useEffect(() => {
    if (open) void run(read, '');
  }, [open, base]);

  // Someone changed the flow while the panel is open: read again, quietly (what the panel says stays).
  const shownRevision = useRef(revision);
  useEffect(() => {
    if (shownRevision.current === revision) return;
    shownRevision.current = revision;
    if (open) show(read).catch(() => undefined);
  }, [revision]);

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
          {mode === null ? (
            <p class="muted">Loading…</p>
          ) : (
            <>
              <p>{ABOUT[mode]}</p>
              {mode !== 'invitation' && (
                <label>
                  Join link <input readOnly value={link ?? ''} placeholder="No join link" onFocus={(e) => e.currentTarget.select()} />
                </label>
              )}
              <div class="settings-actions">
                {mode !== 'invitation' && (
                  <button type="button" disabled={!link} onClick={copy}>
                    Copy join link
                  </button>
                )}
                {mode === 'link' && (
                  <>
                    <button type="button" onClick={() => run(() => newJoinLink(base), 'A new join link: the old one no longer works')}>
                      New join link
                    </button>
                    <button type="button" disabled={!link} onClick={() => run(() => turnOffJoinLink(base).then(() => null), 'Join link turned off')}>
                      Turn off join link
                    </button>
                  </>
                )}
              </div>
            </>
          )}
          <p class="muted" aria-live="polite">
            {notice}
          </p>
          {error && <p role="alert">{error}</p>}
        </section>
      )}
    </div>
  );
}
