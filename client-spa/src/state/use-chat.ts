/**
 * The signed-in app's state: flows and people, one message log per conversation, unread counts,
 * typing, the live connection and the outbox. Views read it and call its actions; the live
 * connection's handlers read the newest state through refs, never a stale closure.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { currentSession, deleteMessage, editMessage, HISTORY_PAGE, INBOX_EVENTS, inboxItems, isRetryable, listFlows, listPrivateConversations, listUsers, logOut, messageHistory, postMessage, threadMessages, threadOf } from '../api';
import { conversationAt, conversationKeyOf } from '../conversations';
import { FlowListReader } from '../flow-list-reader';
import { LiveConnection, type LiveStatus, resumeCursor } from '../live';
import { addPending, applyEvents, applyHistoryPage, applyStoredPost, emptyLog, failPending, type MessageLog, queuePending } from '../message-log';
import { Outbox, type OutgoingPost } from '../outbox';
import { loadOutbox, saveOutbox } from '../outbox-store';
import { availability, type PresenceSeen, seen } from '../presence';
import type { Route } from '../route';
import { startedTyping, stoppedTyping, TYPING_SHOWN_MS, type TypingState, typingIn } from '../typing';
import { type ChatMessage, type Conversation, type Flow, type FlowEvent, privateKey, type Thread, type User } from '../types';
import { notifies } from '../notifications';
import { newUuid } from '../uuid';
import { COUNTED_EVENTS, markerRefused, NO_UNREAD, readAll, type UnreadTally, unreadTotal, withLiveMessage, withServerCount } from '../unread-tally';
import { useReadMarker } from './use-read-marker';

/** A resume's read of the flow list waits a random moment within this, so that a restarted node's clients do not all ask at once. */
const RESUME_READ_SPREAD_MS = 5000;

/** A live ref: `.current` is the newest value on every render. */
function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/** The log key of a thread's messages, beside its flow's. */
export const threadKey = (threadId: string): string => `thread:${threadId}`;

/** Adds events to a list by id, once each, in id order. */
const mergeById = (list: readonly FlowEvent[], events: readonly FlowEvent[]): FlowEvent[] =>
  [...new Map([...list, ...events].map((e) => [e.id, e])).values()].sort((a, b) => a.id - b.id);

/** A live message that notifies the user (a mention, a private message): `key` is its conversation's. */
export type MentionHandler = (event: FlowEvent, key: string, inView: boolean) => void;

export function useChat(user: User, route: Route, onSignedOut: () => void, onMention?: MentionHandler) {
  const me = String(user.id);
  const [flows, setFlows] = useState<Flow[] | null>(null);
  const [people, setPeople] = useState<User[]>([]);
  const [logs, setLogs] = useState<ReadonlyMap<string, MessageLog>>(new Map());
  const [tallies, setTallies] = useState<ReadonlyMap<string, UnreadTally>>(new Map());
  const unread = useMemo(() => new Map([...tallies].map(([key, t]) => [key, unreadTotal(t)] as const).filter(([, n]) => n > 0)), [tallies]);
  const tally = (key: string, change: (t: UnreadTally) => UnreadTally) =>
    setTallies((all) => {
      const before = all.get(key) ?? NO_UNREAD;
      const after = change(before);
      return after === before ? all : new Map(all).set(key, after);
    });
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [typing, setTyping] = useState<TypingState>(new Map());
  const [presence, setPresence] = useState<ReadonlyMap<string, PresenceSeen>>(new Map());
  /** Threads opened beside their flow, by thread id: their state (their messages are logs under `threadKey`). */
  const [threads, setThreads] = useState<ReadonlyMap<string, Thread>>(new Map());
  /** Team inboxes opened, by flow id: integration items, oldest first. */
  const [inboxes, setInboxes] = useState<ReadonlyMap<string, FlowEvent[]>>(new Map());
  const threadsRef = useLatest(threads);
  const inboxesRef = useLatest(inboxes);
  // Re-renders once a typing indicator has run its time.
  const [, setTick] = useState(0);
  const current = useMemo(() => (flows ? conversationAt(route, flows, people, user) : null), [flows, people, route]);
  const logsRef = useLatest(logs);
  const flowsRef = useLatest(flows);
  const currentRef = useLatest(current);
  const onMentionRef = useLatest(onMention);
  /** Conversations whose history was fetched, by key (live events alone do not make a history), with how to refetch it. */
  const loaded = useRef(new Map<string, Conversation>());
  /**
   * Per flow not yet followed, the newest event its unread count accounts for (live.ts `resumeCursor`),
   * taken by its first subscription only: a resume after a drop subscribes a flow the app has not
   * loaded from the newest event it received of it, or live when none, and the flow list read once
   * all are subscribed again counts what was missed (no store read per quiet flow and client).
   */
  const countedThrough = useRef(new Map<string, number>());
  /**
   * Counts to read once live: at the start the private conversations' (the flow list is read at
   * once, to know what to follow); after a resume those and the flow list's, spread over a moment.
   */
  const countsDue = useRef<'start' | 'resume' | null>('start');

  const updateLog = (key: string, change: (log: MessageLog) => MessageLog) => setLogs((all) => new Map(all).set(key, change(all.get(key) ?? emptyLog())));

  /** The newest page (on open, after a resync or a resume), or the page before what is loaded (`earlier`). */
  const loadHistory = async (c: Conversation, earlier = false) => {
    const untilId = earlier ? (logsRef.current.get(c.key)?.oldestId ?? 0) : 0;
    const events = await messageHistory(c.base, untilId);
    updateLog(c.key, (log) => (earlier || !log.oldestId ? applyHistoryPage(log, events, HISTORY_PAGE) : applyEvents(log, events)));
  };

  const outbox = useMemo(
    () =>
      new Outbox({
        post: (item) => postMessage(item.base, item.text, item.uuid, item.threadId),
        retryable: isRetryable,
        onStored: (item, stored) => updateLog(item.key, (log) => applyStoredPost(log, stored)),
        onQueued: (item) => updateLog(item.key, (log) => queuePending(log, item.uuid)),
        onFailed: (item, reason) => updateLog(item.key, (log) => failPending(log, item.uuid, reason)),
        onChange: (waiting) => saveOutbox(sessionStorage, me, waiting),
      }),
    [],
  );

  const live = useMemo(
    () =>
      new LiveConnection({
        cursor: (flowId) => {
          const counted = countedThrough.current.get(flowId);
          countedThrough.current.delete(flowId);
          return resumeCursor(logsRef.current.get(flowId)?.lastId ?? 0, loaded.current.has(flowId), counted);
        },
        onEvent: (event: FlowEvent) => {
          const key = conversationKeyOf(event, me);
          if (!key) return;
          updateLog(key, (log) => applyEvents(log, [event]));
          if (event.thread_id && threadsRef.current.has(event.thread_id)) {
            const id = event.thread_id;
            updateLog(threadKey(id), (log) => applyEvents(log, [event]));
            if (event.thread) setThreads((all) => new Map(all).set(id, event.thread!));
          }
          if (INBOX_EVENTS.includes(event.event) && inboxesRef.current.has(key)) setInboxes((all) => new Map(all).set(key, mergeById(all.get(key) ?? [], [event])));
          if (!COUNTED_EVENTS.includes(event.event)) return;
          // In the open conversation of a hidden tab it is unread too, until the tab is seen (use-read-marker).
          const inView = key === currentRef.current?.key && document.visibilityState === 'visible';
          if (!inView && event.user !== me) tally(key, (t) => withLiveMessage(t, event.id));
          if (event.event !== 'message') return;
          setTyping((t) => stoppedTyping(t, key, event.user));
          if (notifies(event, me)) onMentionRef.current?.(event, key, inView);
        },
        onTyping: (flowId, userId) => {
          if (userId === me) return;
          setTyping((t) => startedTyping(t, flowId, userId, Date.now()));
          setTimeout(() => setTick((n) => n + 1), TYPING_SHOWN_MS + 50);
        },
        onActivity: (userId, active) => setPresence((p) => seen(p, userId, active === null ? { idle: true } : { active })),
        onFlowChange: (change) => {
          // A flow gained is read whole (its members, unread count).
          if (change.kind === 'added') return flowReader.read();
          // An update or a removal is applied as it comes: a rename must not make every member read
          // all their flows. A read under way may have been answered before the change: read again.
          const changeFlows = (edit: (list: Flow[]) => Flow[]) => setFlows((all) => (all === null ? null : edit(all)));
          if (change.kind === 'updated') {
            changeFlows((all) => all.map((f) => (f.id === change.flowId ? { ...f, name: change.name, disabled: change.disabled, revision: (f.revision ?? 0) + 1 } : f)));
          } else {
            changeFlows((all) => all.filter((f) => f.id !== change.flowId));
            live.forget(change.flowId);
          }
          if (flowReader.busy) flowReader.read();
        },
        onStatus: (next) => {
          setStatus(next);
          if (next !== 'live') return;
          // Back online: what waited is sent now (with its uuid: never doubled), and the others learn we are here.
          outbox.flush();
          reportPresence();
          // After a resume, the flow list is read once every flow is subscribed again: a count read
          // earlier could miss a message stored before its flow's subscription began.
          if (countsDue.current === 'resume') flowReader.readSoon(RESUME_READ_SPREAD_MS);
          if (countsDue.current) setTimeout(readPrivateCounts, countsDue.current === 'resume' ? Math.random() * RESUME_READ_SPREAD_MS : 0);
          countsDue.current = null;
        },
        // More was missed than the server backfills: a loaded flow reads its history again, any other
        // flow its unread count (with the flow list).
        onResync: (flowId) => {
          const c = loaded.current.get(flowId);
          if (c) void loadHistory(c);
          else flowReader.read();
        },
        // Private messages and flow changes are not backfilled over the WebSocket: refetch the open
        // private conversations' newest page, and the flow list.
        onResumed: () => {
          countsDue.current = 'resume';
          for (const c of loaded.current.values()) if (!c.flowId) void loadHistory(c);
        },
        stillSignedIn: async () => (await currentSession()) !== null,
        onSignedOut,
      }),
    [],
  );

  const flowReader = useMemo(() => new FlowListReader(listFlows, showFlows), []);

  /** A conversation's count from the server (unread-tally.ts); not the open one's, which is read as it shows. */
  function takeServerCount(key: string, count: number, through: number, lastReadId: number | null) {
    if (key !== currentRef.current?.key) tally(key, (t) => withServerCount(t, count, through, lastReadId));
  }

  /** The user's flows as read (flow-list-reader.ts): shown, their unread counts and presence taken, any new one followed live. */
  function showFlows(list: Flow[]) {
    setFlows(list);
    // Unread counts from the server's read markers (what was read on another device, or before a
    // reload, stays read), with the live messages after each count (unread-tally.ts).
    for (const { id, unread_count: count, unread_through_id: through, last_read_id: lastReadId } of list) {
      if (through === undefined) continue;
      if (count !== undefined) takeServerCount(id, count, through, lastReadId ?? null);
      if (!live.follows(id)) countedThrough.current.set(id, through);
    }
    live.follow(list.map((f) => f.id));
    for (const u of list.flatMap((f) => f.users ?? [])) {
      if (u.last_activity) setPresence((p) => seen(p, String(u.id), { active: u.last_activity! }));
    }
  }

  /**
   * The private conversations' unread counts from the server: the user channel is not backfilled,
   * so what came while the app was closed or offline is known only from here. Read once live, so
   * that a message after the read arrives live and is counted past `unread_through_id`.
   */
  function readPrivateCounts() {
    listPrivateConversations()
      .then((list) => {
        for (const c of list) takeServerCount(privateKey(c.id), c.unread_count, c.unread_through_id, c.last_read_id);
      })
      // Not read now (offline again): live messages still count, and the next resume reads again.
      .catch(() => {});
  }

  /** Active while the page is visible, idle when hidden (another tab, a minimised window). */
  function reportPresence() {
    live.presence(document.visibilityState === 'visible' ? 'active' : 'idle');
  }

  useEffect(() => {
    // Posts a previous page of this tab left unsent (a reload while offline): shown as waiting and sent again with their uuids.
    for (const item of loadOutbox(sessionStorage, me)) enqueue(item);
    live.start();
    flowReader.read();
    // As docs/websocket.md asks: on visibility changes, and about once a minute while in use.
    const everyMinute = setInterval(reportPresence, 60_000);
    document.addEventListener('visibilitychange', reportPresence);
    listUsers().then((users) => setPeople(users.filter((u) => u.id !== user.id)));
    return () => {
      clearInterval(everyMinute);
      document.removeEventListener('visibilitychange', reportPresence);
      flowReader.stop();
      live.stop();
    };
  }, []);

  const clearUnread = (key: string, upTo = 0) => tally(key, (t) => (unreadTotal(t) === 0 && upTo <= t.readThrough ? t : readAll(t, upTo)));
  useReadMarker(current, (current && logs.get(current.key)?.lastId) || 0, { onRead: clearUnread, onRefused: (key) => tally(key, markerRefused) });

  // Opening a conversation: fetch its history once (live events already received merge by id) and clear its unread count.
  useEffect(() => {
    if (!current) return;
    clearUnread(current.key);
    if (loaded.current.has(current.key)) return;
    loaded.current.set(current.key, current);
    loadHistory(current).catch(() => loaded.current.delete(current.key));
  }, [current?.key]);

  function enqueue(item: OutgoingPost) {
    updateLog(item.key, (log) => addPending({ ...log, pending: log.pending.filter((p) => p.uuid !== item.uuid) }, { uuid: item.uuid, user: me, text: item.text, sent: item.sent }));
    outbox.add(item);
  }

  /** A post in a conversation or, with `threadId`, a reply in that thread of the flow (shown in the thread's log until stored). */
  const send = (c: Conversation, text: string, uuid = newUuid(), threadId?: string) =>
    enqueue({ uuid, key: threadId ? threadKey(threadId) : c.key, base: c.base, text, sent: Date.now(), ...(threadId ? { threadId } : {}) });

  /** Opens a thread of the flow: its state and messages, then kept live. */
  async function openThread(c: Conversation, threadId: string) {
    const [thread, events] = await Promise.all([threadOf(c.base, threadId), threadMessages(c.base, threadId)]);
    setThreads((all) => new Map(all).set(threadId, thread));
    updateLog(threadKey(threadId), (log) => applyEvents(log, events));
  }

  async function openInbox(c: Conversation) {
    const items = await inboxItems(c.base);
    setInboxes((all) => new Map(all).set(c.key, mergeById(all.get(c.key) ?? [], items)));
  }

  return {
    flows, flowsRef, people, logs, unread, status, current,
    typingIn: (key: string) => typingIn(typing, key, Date.now()),
    availabilityOf: (userId: number) => availability(presence.get(String(userId)), Date.now()),
    send,
    retry: (c: Conversation, m: ChatMessage, threadId?: string) => send(c, m.text, m.uuid, threadId),
    threads, openThread, inboxes, openInbox,
    loadEarlier: (c: Conversation) => loadHistory(c, true),
    // The change comes back as a live `message-edit`, like everyone else's.
    edit: async (c: Conversation, m: ChatMessage, text: string) => void (await editMessage(c.base, m.id!, text)),
    remove: async (c: Conversation, m: ChatMessage) => void (await deleteMessage(c.base, m.id!)),
    typing: (c: Conversation) => (c.flowId ? live.typing(c.flowId) : false),
    async signOut() {
      live.stop();
      await logOut().catch(() => {});
      onSignedOut();
    },
  };
}
