/**
 * /app/admin/failover, for site admins (docs/app.md, "The failover page"): the failover managers'
 * state, polled every second while the page is visible, the timeline of failovers with their
 * detection and promotion times, and a promote action behind a confirmation dialog. Anyone else
 * sees the app's "Page not found" (the API answers them 404).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type FailoverAnswer, type FailoverStatus, failoverState, promoteNode } from '../admin-api';
import { ApiError } from '../api';
import { duration, lagText, promotable, timelineItems } from '../failover-view';
import './failover-page.css';

const POLL_MS = 1000;

type Loaded = { answer: FailoverAnswer | null; error: string | null; notFound: boolean };

/** The latest answer, read now and every second while the tab is visible; the last good one stays shown through an error. */
function useFailoverState(): Loaded {
  const [state, setState] = useState<Loaded>({ answer: null, error: null, notFound: false });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const answer = await failoverState();
          if (!stopped) setState({ answer, error: null, notFound: false });
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return void (stopped || setState({ answer: null, error: null, notFound: true }));
          if (!stopped) setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) }));
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return state;
}

export function FailoverPage() {
  const { answer, error, notFound } = useFailoverState();
  useEffect(() => {
    document.title = 'Redis failover · Tributary';
  }, []);
  if (notFound) {
    return (
      <main class="flow empty">
        <p class="muted center">Page not found.</p>
      </main>
    );
  }
  return (
    <main class="flow failover-page">
      <header class="flow-header">
        <h1>Redis failover</h1>
        {answer?.configured && <span class="muted">ZooKeeper {answer.zookeeper} · read {new Date(answer.readAt).toLocaleTimeString()}</span>}
      </header>
      <div class="failover-body">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {!answer && !error && <p class="muted">Loading…</p>}
        {answer && !answer.configured && <p class="notice">{answer.message}</p>}
        {answer?.configured && <FailoverState status={answer.status} />}
        {answer?.configured && <Timeline answer={answer} />}
      </div>
    </main>
  );
}

function FailoverState({ status }: { status: FailoverStatus }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [asked, setAsked] = useState<{ target: string; requested: boolean; message: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const candidates = new Set(promotable(status).map((n) => n.address));
  const leader = status.leader ?? (status.leaderDown ? `none up (${status.leaderDown})` : 'none (no manager running)');

  async function promote(target: string) {
    setConfirming(null);
    setFailure(null);
    try {
      setAsked(await promoteNode(target));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section aria-labelledby="failover-state">
      <h2 id="failover-state">State</h2>
      <dl class="summary">
        <dt>Master</dt>
        <dd data-testid="master">{status.master ?? '(none recorded)'}</dd>
        <dt>Epoch</dt>
        <dd>{status.epoch ?? '–'}</dd>
        <dt>Leader manager</dt>
        <dd>{leader}</dd>
        {status.reason && (
          <>
            <dt>Since</dt>
            <dd>
              {status.changedAt}: {status.reason}
            </dd>
          </>
        )}
      </dl>
      {asked && (
        <p role="status" class="notice">
          {status.master === asked.target && asked.requested ? `${asked.target} is the master now (epoch ${status.epoch}).` : asked.message}
        </p>
      )}
      {failure && (
        <p role="alert" class="error">
          Not promoted: {failure}
        </p>
      )}
      <table>
        <caption>Redis nodes</caption>
        <ColumnHeads names={['Node', 'Role', 'Up', 'Replication offset', 'Lag', 'Seen up by', '']} />
        <tbody>
          {status.nodes.map((n) => (
            <tr key={n.address} class={n.up ? '' : 'down'}>
              <th scope="row">{n.address}</th>
              <td>{n.role}</td>
              <td>{n.up ? 'up' : 'DOWN'}</td>
              <td>{n.offset < 0 ? 'unknown' : n.offset}</td>
              <td>{lagText(n)}</td>
              <td>{n.seenUpBy}</td>
              <td>
                {candidates.has(n.address) && (
                  <button type="button" onClick={() => setConfirming(n.address)}>
                    Promote {n.address}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Failover managers</caption>
        <ColumnHeads names={['Manager', 'State', 'View age', 'Last said']} />
        <tbody>
          {status.managers.map((m) => (
            <tr key={m.managerId} class={m.up ? '' : 'down'}>
              <th scope="row">
                {m.managerId}
                {m.managerId === status.leader ? ' (leader)' : ''}
              </th>
              <td>{m.up ? 'up' : `DOWN (${m.down})`}</td>
              <td>{duration(m.viewAgeMs)}</td>
              <td>{m.lastAction ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && <ConfirmPromote target={confirming} master={status.master} onConfirm={() => void promote(confirming)} onCancel={() => setConfirming(null)} />}
    </section>
  );
}

/** A table's header row; an empty name is the action column, named for screen readers only. */
function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name || <span class="visually-hidden">Action</span>}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A modal dialog: promoting moves every write to another node, so it is asked twice. */
function ConfirmPromote({ target, master, onConfirm, onCancel }: { target: string; master: string | null; onConfirm(): void; onCancel(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="promote-title" onClose={onCancel}>
      <h2 id="promote-title">Promote {target} to master?</h2>
      <p>
        Writes pause on {master ?? 'the master'} until {target} has caught up (normally milliseconds, at most the managers' switch-over timeout), then the roles swap
        and every service follows the new master. A refused or aborted switch-over changes nothing.
      </p>
      <div class="dialog-actions">
        <button type="button" class="danger" onClick={onConfirm}>
          Promote
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

function Timeline({ answer }: { answer: Extract<FailoverAnswer, { configured: true }> }) {
  const items = timelineItems(answer.timeline);
  const longest = Math.max(1, ...items.map((i) => (i.phases ? (i.phases.detectionMs ?? 0) + i.phases.promotionMs : 0)));
  return (
    <section aria-labelledby="failover-history">
      <h2 id="failover-history">History</h2>
      {items.length === 0 && <p class="muted">No failovers, leader changes or ZooKeeper outages recorded yet.</p>}
      <ol class="timeline" aria-label="Failover history">
        {items.map((i) => (
          <li key={i.key} class={i.kind}>
            <time dateTime={i.at}>{new Date(i.at).toLocaleString()}</time>
            <strong>{i.title}</strong>
            <span class="muted">{i.detail}</span>
            {i.phases && (
              <span class="phases" aria-hidden="true">
                <span class="detection" style={{ width: `${((i.phases.detectionMs ?? 0) / longest) * 100}%` }} />
                <span class="promotion" style={{ width: `${(i.phases.promotionMs / longest) * 100}%` }} />
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
