/**
 * The app's shell: signed out it shows the login form on whatever URL was asked for, then that page;
 * signed in, the flow list beside the page, one live connection for every flow, and per-flow logs.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, currentSession, deleteMessage, editMessage, HISTORY_PAGE, listFlows, logOut, messageHistory, postMessage } from '../api';
import { LiveConnection, type LiveStatus } from '../live';
import { addPending, applyEvents, applyHistoryPage, emptyLog, failPending, type MessageLog, queuePending } from '../message-log';
import { Outbox } from '../outbox';
import { flowUrl, navigate, parseRoute } from '../route';
import { flowToOpen } from '../shortcuts';
import { startedTyping, stoppedTyping, TYPING_SHOWN_MS, type TypingState, typingIn } from '../typing';
import { type ChatMessage, type Flow, type FlowEvent, flowPath, type User } from '../types';
import { newUuid } from '../uuid';
import { FlowList } from './FlowList';
import { FlowView } from './FlowView';
import { LoginForm } from './LoginForm';

function useLocationPath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

export function App() {
  const [user, setUser] = useState<User | null | 'checking'>('checking');
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    currentSession().then(setUser, (err: Error) => setFailure(err.message));
  }, []);

  if (failure) return <p role="alert" class="error center">Tributary is unreachable: {failure}</p>;
  if (user === 'checking') return <p class="muted center">Loading…</p>;
  if (!user) return <LoginForm onSignedIn={setUser} />;
  return <SignedIn user={user} onSignedOut={() => setUser(null)} />;
}

function SignedIn({ user, onSignedOut }: { user: User; onSignedOut(): void }) {
  const pathname = useLocationPath();
  const route = parseRoute(pathname);
  const [flows, setFlows] = useState<Flow[] | null>(null);
  const [logs, setLogs] = useState<ReadonlyMap<string, MessageLog>>(new Map());
  const [unread, setUnread] = useState<ReadonlyMap<string, number>>(new Map());
  const unreadRef = useRef(unread);
  unreadRef.current = unread;
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [typing, setTyping] = useState<TypingState>(new Map());
  // Re-renders once a typing indicator has run its time.
  const [, setTick] = useState(0);
  // The live connection's handlers read the newest state through refs, not a stale closure.
  const logsRef = useRef(logs);
  logsRef.current = logs;
  const flowsRef = useRef(flows);
  flowsRef.current = flows;
  /** Flows whose history was fetched (live events alone do not make a history). */
  const loaded = useRef(new Set<string>());
  const openFlowId = useRef<string | null>(null);
  const current = useMemo(() => (route.page === 'flow' ? (flows?.find((f) => flowPath(f) === route.path) ?? null) : null), [flows, pathname]);
  openFlowId.current = current?.id ?? null;

  const updateLog = (flowId: string, change: (log: MessageLog) => MessageLog) =>
    setLogs((all) => new Map(all).set(flowId, change(all.get(flowId) ?? emptyLog())));

  /** The newest page (on open, after a resync), or the page before what is loaded (`earlier`). */
  const loadHistory = async (flow: Flow, earlier = false) => {
    const untilId = earlier ? (logsRef.current.get(flow.id)?.oldestId ?? 0) : 0;
    const events = await messageHistory(flowPath(flow), untilId);
    updateLog(flow.id, (log) => (earlier || !log.oldestId ? applyHistoryPage(log, events, HISTORY_PAGE) : applyEvents(log, events)));
  };

  const outbox = useMemo(
    () =>
      new Outbox({
        post: (item) => postMessage(item.path, item.text, item.uuid),
        // No answer at all (offline), or the server could not take it now: worth sending again.
        retryable: (err) => !(err instanceof ApiError) || err.status >= 500 || err.status === 429,
        onStored: (item, stored) => updateLog(item.flowId, (log) => applyEvents(log, [stored])),
        onQueued: (item) => updateLog(item.flowId, (log) => queuePending(log, item.uuid)),
        onFailed: (item, reason) => updateLog(item.flowId, (log) => failPending(log, item.uuid, reason)),
      }),
    [],
  );

  const live = useMemo(
    () =>
      new LiveConnection({
        cursor: (flowId) => logsRef.current.get(flowId)?.lastId ?? 0,
        onEvent: (event: FlowEvent) => {
          updateLog(event.flow, (log) => applyEvents(log, [event]));
          if (event.event === 'message') setTyping((t) => stoppedTyping(t, event.flow, event.user));
          if (event.event === 'message' && event.flow !== openFlowId.current && event.user !== String(user.id)) {
            setUnread((all) => new Map(all).set(event.flow, (all.get(event.flow) ?? 0) + 1));
          }
        },
        onTyping: (flowId, userId) => {
          if (userId === String(user.id)) return;
          setTyping((t) => startedTyping(t, flowId, userId, Date.now()));
          setTimeout(() => setTick((n) => n + 1), TYPING_SHOWN_MS + 50);
        },
        onStatus: (next) => {
          setStatus(next);
          // Back online: what waited is sent now (with its uuid: never doubled).
          if (next === 'live') outbox.flush();
        },
        onResync: (flowId) => {
          const flow = flowsRef.current?.find((f) => f.id === flowId);
          if (flow) void loadHistory(flow);
        },
        stillSignedIn: async () => (await currentSession()) !== null,
        onSignedOut,
      }),
    [],
  );

  useEffect(() => {
    live.start();
    listFlows().then((list) => {
      setFlows(list);
      live.follow(list.map((f) => f.id));
    });
    return () => live.stop();
  }, []);

  // Home opens the first flow, as a chat app opens the last room.
  useEffect(() => {
    const first = flows?.[0];
    if (route.page === 'home' && first) history.replaceState(null, '', flowUrl(flowPath(first)));
    if (route.page === 'home' && first) dispatchEvent(new PopStateEvent('popstate'));
  }, [flows, pathname]);

  // Opening a flow: fetch its history once (live events already received merge by id) and clear its unread count.
  useEffect(() => {
    if (!current) return;
    setUnread((all) => (all.has(current.id) ? new Map([...all].filter(([id]) => id !== current.id)) : all));
    if (loaded.current.has(current.id)) return;
    loaded.current.add(current.id);
    loadHistory(current).catch(() => loaded.current.delete(current.id));
  }, [current?.id]);

  // Keyboard: Alt+↓/↑ next/previous flow, Alt+Shift+↓ next unread, Alt+M the composer (shortcuts.ts).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.code === 'KeyM') {
        document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
        e.preventDefault();
        return;
      }
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const move = e.key === 'ArrowUp' ? 'previous' : e.shiftKey ? 'next-unread' : 'next';
      const target = flowToOpen(flowsRef.current ?? [], openFlowId.current, move, unreadRef.current);
      if (target) navigate(flowUrl(flowPath(target)));
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const send = (flow: Flow, text: string, uuid = newUuid()) => {
    updateLog(flow.id, (log) => addPending({ ...log, pending: log.pending.filter((p) => p.uuid !== uuid) }, { uuid, user: String(user.id), text, sent: Date.now() }));
    outbox.add({ uuid, flowId: flow.id, path: flowPath(flow), text });
  };

  async function signOut() {
    live.stop();
    await logOut().catch(() => {});
    onSignedOut();
  }

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Tributary</span>
        {status !== 'live' && (
          <span class="status" role="status">
            {status === 'connecting' ? 'Connecting…' : 'Offline: reconnecting…'}
          </span>
        )}
        <span class="me">{user.nick}</span>
        <button type="button" class="link" onClick={signOut}>
          Log out
        </button>
      </header>
      <aside class="sidebar">{flows && <FlowList flows={flows} currentPath={current ? flowPath(current) : null} unread={unread} />}</aside>
      {current ? (
        <FlowView
          flow={current}
          log={logs.get(current.id)}
          thread={route.page === 'flow' ? route.thread : undefined}
          onSend={(text) => send(current, text)}
          onLoadEarlier={() => loadHistory(current, true)}
          typing={typingIn(typing, current.id, Date.now())}
          onTyping={() => live.typing(current.id)}
          onRetry={(m: ChatMessage) => send(current, m.text, m.uuid)}
          me={String(user.id)}
          // The change comes back as a live `message-edit`, like everyone else's.
          onEdit={async (m, text) => void (await editMessage(flowPath(current), m.id!, text))}
          onDelete={async (m) => void (await deleteMessage(flowPath(current), m.id!))}
        />
      ) : (
        <main class="flow empty">
          <p class="muted center">
            {!flows ? 'Loading…' : route.page === 'private' ? 'Private conversations are not in the app yet.' : route.page === 'flow' ? 'No such flow, or you are not in it.' : flows.length === 0 ? 'You are in no flow yet.' : 'Page not found.'}
          </p>
        </main>
      )}
    </div>
  );
}
