/**
 * The app's shell: signed out it shows the login form on whatever URL was asked for, then that page;
 * signed in, the flow and people lists beside the conversation the URL names.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { currentSession } from '../api';
import { noticeOf } from '../notifications';
import { flowUrl, navigate, parseRoute, urlOfConversation } from '../route';
import { threadKey, useChat } from '../state/use-chat';
import { useNotifications } from '../state/use-notifications';
import { useShortcuts } from '../state/use-shortcuts';
import { flowPath, type User } from '../types';
import { ConversationView } from './ConversationView';
import { FailoverPage } from './FailoverPage';
import { FlowList, PeopleList } from './FlowList';
import { LoginForm } from './LoginForm';
import { ThreadPanel } from './ThreadPanel';
import { Toasts } from './Toasts';

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
  // One Route object per URL: the chat state recomputes the open conversation when it changes.
  const route = useMemo(() => parseRoute(pathname), [pathname]);
  const notices = useNotifications((key) => {
    const url = urlOfConversation(key, chat.flows ?? []);
    if (url) navigate(url);
  });
  const chat = useChat(user, route, onSignedOut, (event, key, inView) => {
    const author = chat.people.find((u) => String(u.id) === event.user)?.nick ?? `user ${event.user}`;
    const where = chat.flows?.find((f) => f.id === key)?.name ?? author;
    notices.notify(noticeOf(event, key, author, where), inView);
  });
  const { flows, current } = chat;
  const shortcutState = useRef({ flows: flows ?? [], openFlowId: current?.flowId ?? null, unread: chat.unread });
  shortcutState.current = { flows: flows ?? [], openFlowId: current?.flowId ?? null, unread: chat.unread };
  useShortcuts(shortcutState);

  // Home opens the first flow, as a chat app opens the last room.
  useEffect(() => {
    const first = flows?.[0];
    if (route.page !== 'home' || !first) return;
    history.replaceState(null, '', flowUrl(flowPath(first)));
    dispatchEvent(new PopStateEvent('popstate'));
  }, [flows, pathname]);

  const page = route.page;
  const flowPathOpen = route.page === 'flow' && current?.flowId ? route.path : undefined;
  const threadId = route.page === 'flow' ? route.thread : undefined;
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Tributary</span>
        {chat.status !== 'live' && (
          <span class="status" role="status">
            {chat.status === 'connecting' ? 'Connecting…' : 'Offline: reconnecting…'}
          </span>
        )}
        {notices.permission === 'default' && (
          <button type="button" class="link notify-ask" onClick={() => void notices.requestPermission()}>
            Notify me of mentions
          </button>
        )}
        <span class="me">{user.nick}</span>
        <button type="button" class="link" onClick={chat.signOut}>
          Log out
        </button>
      </header>
      <Toasts toasts={notices.toasts} onDismiss={notices.dismiss} onOpen={(n) => notices.open(n.key)} />
      <aside class="sidebar">
        {flows && <FlowList flows={flows} currentKey={current?.key ?? null} unread={chat.unread} />}
        {chat.people.length > 0 && <PeopleList people={chat.people} currentKey={current?.key ?? null} unread={chat.unread} availabilityOf={chat.availabilityOf} />}
      </aside>
      {page === 'failover' ? (
        <FailoverPage />
      ) : current ? (
        <div class={`conversation${threadId ? ' with-thread' : ''}`}>
          <ConversationView
            conversation={current}
            log={chat.logs.get(current.key)}
            flowPath={flowPathOpen}
            inbox={chat.inboxes.get(current.key)}
            onOpenInbox={() => chat.openInbox(current)}
            me={String(user.id)}
            typing={chat.typingIn(current.key)}
            onSend={(text) => chat.send(current, text)}
            onRetry={(m) => chat.retry(current, m)}
            onEdit={(m, text) => chat.edit(current, m, text)}
            onDelete={(m) => chat.remove(current, m)}
            onLoadEarlier={() => chat.loadEarlier(current)}
            onTyping={() => chat.typing(current)}
          />
          {threadId && flowPathOpen && (
            <ThreadPanel
              key={threadId}
              conversation={current}
              flowPath={flowPathOpen}
              threadId={threadId}
              thread={chat.threads.get(threadId)}
              log={chat.logs.get(threadKey(threadId))}
              me={String(user.id)}
              onOpen={() => chat.openThread(current, threadId)}
              onSend={(text) => chat.send(current, text, undefined, threadId)}
              onRetry={(m) => chat.retry(current, m, threadId)}
              onEdit={(m, text) => chat.edit(current, m, text)}
              onDelete={(m) => chat.remove(current, m)}
              onTyping={() => chat.typing(current)}
            />
          )}
        </div>
      ) : (
        <main class="flow empty">
          <p class="muted center">
            {!flows ? 'Loading…' : page === 'private' ? 'Nobody you share an organization with has that id.' : page === 'flow' ? 'No such flow, or you are not in it.' : flows.length === 0 ? 'You are in no flow yet.' : 'Page not found.'}
          </p>
        </main>
      )}
    </div>
  );
}
