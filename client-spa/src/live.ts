/**
 * The live connection (docs/websocket.md): one WebSocket to /stream/ws, authenticated at the upgrade
 * by the session cookie (same origin). Subscribes to the app's flows from the last id it holds of
 * each, so a reconnect resumes without a gap (the server backfills) and without duplicates (the
 * server skips what it already sent; the message log drops any id it has), and to the user channel
 * (private messages, which the server does not backfill: `onResumed` refetches them). Reconnects
 * with exponential backoff and jitter.
 */
import { backoffMs } from './backoff';
import type { FlowChange, FlowEvent } from './types';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  /** Where the flow's subscription resumes (`since`: events after this id are backfilled); undefined: live only. */
  cursor(flowId: string): number | undefined;
  onEvent(event: FlowEvent): void;
  /** Someone (the user too: the server echoes) is typing in a flow. */
  onTyping(flowId: string, userId: string): void;
  /** Someone reported activity (`active` ms) or went idle. */
  onActivity(userId: string, active: number | null): void;
  /** One of the user's flows changed (renamed, archived, reopened, its join link), or the user gained or lost one. */
  onFlowChange(change: FlowChange): void;
  onStatus(status: LiveStatus): void;
  /** More was missed than the server backfills: refetch the flow's history. */
  onResync(flowId: string): void;
  /** Greeted again after a drop: what the server does not backfill (private messages) must be refetched. */
  onResumed(): void;
  /** Asked when a connection failed before it was greeted: false means signed out (stop trying). */
  stillSignedIn(): Promise<boolean>;
  onSignedOut(): void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** The server takes at most 500 flows per subscribe frame. */
const FLOWS_PER_FRAME = 500;

/** The flow change an id-less event announces (docs/subsystems/events.md), or null. */
export function flowChangeOf(frame: Record<string, unknown>): FlowChange | null {
  const content = frame.content as { id?: unknown; name?: unknown; disabled?: unknown } | null;
  if (typeof content?.id !== 'string') return null;
  if (frame.event === 'flow-add') return { kind: 'added', flowId: content.id };
  if (frame.event === 'flow-remove') return { kind: 'removed', flowId: content.id };
  if (frame.event === 'flow-update' && typeof content.name === 'string') return { kind: 'updated', flowId: content.id, name: content.name, disabled: content.disabled === true };
  return null;
}

/**
 * Where a flow's subscription resumes. A flow whose history the app loaded keeps a gapless log:
 * from its newest event. Any other flow only counts unread messages: from the newest event its
 * unread count (GET /flows) accounts for or the app received live, whichever is later, so a message
 * posted before the subscription is delivered, and none the count holds is delivered again.
 */
export function resumeCursor(logLastId: number, historyLoaded: boolean, countedThrough: number | undefined): number | undefined {
  if (historyLoaded && logLastId > 0) return logLastId;
  if (countedThrough === undefined) return logLastId > 0 ? logLastId : undefined;
  return Math.max(logLastId, countedThrough);
}

const defaultUrl = (): string => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream/ws`;

export class LiveConnection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private greeted = false;
  /** Greeted at least once: a later greeting is a resume. */
  private everGreeted = false;
  private flows = new Set<string>();
  /** Flows asked for on this connection and not yet confirmed: the app is `live` once there are none. */
  private pending = new Set<string>();
  private confirmed = new Set<string>();

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly url: string = defaultUrl(),
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000, 'signed out');
    this.ws = null;
  }

  /** Whether the flow is followed (subscribed, or to be at the next greeting). */
  follows(flowId: string): boolean {
    return this.flows.has(flowId);
  }

  /** Follows these flows from now on (new ones are subscribed at once when connected). */
  follow(flowIds: readonly string[]): void {
    const added = flowIds.filter((id) => !this.flows.has(id));
    for (const id of added) this.flows.add(id);
    if (this.greeted && added.length) this.subscribe(added);
  }

  /**
   * Stops following a flow the user lost: the server has cut it already (blocked, removed) or will
   * be told (left); following it again subscribes anew.
   */
  forget(flowId: string): void {
    if (!this.flows.delete(flowId)) return;
    this.confirmed.delete(flowId);
    if (this.pending.delete(flowId) && this.pending.size === 0) this.handlers.onStatus('live');
    if (this.greeted && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'unsubscribe', flows: [flowId] }));
  }

  /** Tells the flow's other members that the user is typing; dropped while disconnected (it is not worth queueing). */
  typing(flowId: string): boolean {
    // The server takes typing only in flows this connection subscribed to.
    if (!this.confirmed.has(flowId) || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ type: 'typing', flow: flowId }));
    return true;
  }

  /** Reports the user active or idle to every subscribed flow (docs/websocket.md, `presence`). */
  presence(state: 'active' | 'idle'): void {
    if (this.greeted && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'presence', state }));
  }

  private connect(): void {
    this.handlers.onStatus('connecting');
    this.greeted = false;
    this.pending.clear();
    this.confirmed.clear();
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('message', (e) => this.socketOnMessage(String(e.data)));
    ws.addEventListener('close', () => void this.socketOnClose(ws));
  }

  private socketOnMessage(data: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (frame.type === undefined) {
      // An event: stored ones carry their id and a flow or, private, a recipient; typing and presence have no id.
      if (typeof frame.id === 'number' && (typeof frame.flow === 'string' || frame.to !== undefined)) this.handlers.onEvent(frame as unknown as FlowEvent);
      else if (frame.event === 'typing' && typeof frame.flow === 'string' && typeof frame.user === 'string') this.handlers.onTyping(frame.flow, frame.user);
      else if (frame.event === 'activity.user' && typeof frame.user === 'string') {
        const active = (frame.content as { last_activity?: unknown } | null)?.last_activity;
        this.handlers.onActivity(frame.user, typeof active === 'number' ? active : null);
      } else {
        const change = flowChangeOf(frame);
        if (change) this.handlers.onFlowChange(change);
      }
      return;
    }
    if (frame.type === 'hello') {
      this.greeted = true;
      this.attempt = 0;
      // Private messages and the user's own events come on the user channel.
      this.ws?.send(JSON.stringify({ type: 'subscribe', user: true }));
      // Told before the flows are subscribed again, so that it precedes the `live` status that follows.
      if (this.everGreeted) this.handlers.onResumed();
      this.everGreeted = true;
      this.subscribe([...this.flows]);
    } else if (frame.type === 'resync' && typeof frame.flow === 'string') {
      this.handlers.onResync(frame.flow);
    } else if ((frame.type === 'subscribed' || frame.type === 'error') && typeof frame.flow === 'string') {
      // An error names a flow that is gone or no longer readable: nothing to wait for there.
      if (frame.type === 'subscribed') this.confirmed.add(frame.flow);
      this.pending.delete(frame.flow);
      if (this.pending.size === 0) this.handlers.onStatus('live');
    }
  }

  /** Live once every followed flow is confirmed (at once when there are none). */
  private subscribe(flowIds: readonly string[]): void {
    for (const id of flowIds) this.pending.add(id);
    this.handlers.onStatus(this.pending.size === 0 ? 'live' : 'connecting');
    for (let i = 0; i < flowIds.length; i += FLOWS_PER_FRAME) {
      const flows = flowIds.slice(i, i + FLOWS_PER_FRAME).map((flow) => {
        const since = this.handlers.cursor(flow);
        return since === undefined ? { flow } : { flow, since };
      });
      this.ws?.send(JSON.stringify({ type: 'subscribe', flows }));
    }
  }

  private async socketOnClose(ws: WebSocket): Promise<void> {
    if (ws !== this.ws || this.stopped) return;
    this.ws = null;
    this.handlers.onStatus('offline');
    // A refused upgrade (expired session, logout elsewhere) looks like any failed connection: ask.
    if (!this.greeted && !(await this.handlers.stillSignedIn().catch(() => true))) {
      this.handlers.onSignedOut();
      return;
    }
    const delay = backoffMs(this.attempt + 1, BASE_DELAY_MS, MAX_DELAY_MS) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
