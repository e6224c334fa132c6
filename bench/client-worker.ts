/**
 * Forked client process: holds many WebSocket (Tributary, the ceiling peer) or socket.io-client (Socket.IO)
 * connections and records delivery latency per phase. Event frames are not JSON-parsed: `sent` and
 * `ph` are read off the raw bytes, so that the load generator costs little beside the servers.
 */
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { type ClientCommands, type ConnectRequest, type ConnectResult, type PhaseStats, serveCommands } from './ipc';
import { Histogram, nowMs } from './stats';

const CONNECT_TIMEOUT_MS = 30_000;

interface PhaseState {
  delivered: number;
  firstAt: number;
  lastAt: number;
  latency: Histogram;
}

/** One client connection, whichever the protocol; `close` is ours, anything else that ends it is a drop. */
interface Client {
  spec: { url: string; token: string; flows: string[]; kind: ConnectRequest['kind'] };
  close(): void;
  open: boolean;
}

const phases = new Map<string, PhaseState>();
let current = 'idle';
let delivered = 0;
let lastAt = 0;
let dropped = 0;
/** Why connections were dropped: WebSocket close code, or socket.io's disconnect reason. */
const dropReasons: Record<string, number> = {};
const clients = new Set<Client>();
const droppedClients: Client[] = [];

function phaseState(name: string): PhaseState {
  let s = phases.get(name);
  if (!s) {
    s = { delivered: 0, firstAt: 0, lastAt: 0, latency: new Histogram() };
    phases.set(name, s);
  }
  return s;
}

/** An event arrived: count it for its phase (the `ph` field of synthetic events, else the current one). */
function record(event: { sent?: unknown; ph?: unknown }): void {
  if (typeof event.sent !== 'number') return;
  recordSent(event.sent, typeof event.ph === 'string' ? event.ph : current);
}

const SENT = Buffer.from('"sent":');
const PH = Buffer.from('"ph":"');
const QUOTE = 0x22;

/**
 * An event frame as bytes: reads the number after `"sent":` and the string after `"ph":"` without
 * parsing the frame (the publisher writes both, plainly, and the servers pass its bytes on as they are).
 */
function recordFrame(data: Buffer): void {
  const at = data.indexOf(SENT);
  if (at < 0) return;
  let end = at + SENT.length;
  while (end < data.length && data[end] !== 0x2c && data[end] !== 0x7d) end++;
  const sent = Number(data.toString('latin1', at + SENT.length, end));
  if (!Number.isFinite(sent)) return;
  const ph = data.indexOf(PH, end);
  const phEnd = ph < 0 ? -1 : data.indexOf(QUOTE, ph + PH.length);
  recordSent(sent, phEnd < 0 ? current : data.toString('latin1', ph + PH.length, phEnd));
}

/** Control frames (`{"type":...}`) are the only ones parsed. */
const isControlFrame = (data: Buffer) => data.length > 8 && data.toString('latin1', 0, 8) === '{"type":';

function recordSent(sent: number, phase: string): void {
  const now = nowMs();
  const s = phaseState(phase);
  s.delivered++;
  if (!s.firstAt) s.firstAt = now;
  s.lastAt = now;
  s.latency.record(now - sent);
  delivered++;
  lastAt = now;
}

function onDrop(client: Client, reason: string): void {
  if (!client.open) return;
  dropReasons[reason] = (dropReasons[reason] ?? 0) + 1;
  client.open = false;
  clients.delete(client);
  dropped++;
  droppedClients.push(client);
}

/** How a client under way reports to openClient: `ready` once subscribed; `lost` when its link fails or refuses. */
interface Opening {
  ready(): void;
  /** Before ready the open fails with `error`; after it the client is dropped for `dropReason`. Either way the link is closed. */
  lost(error: Error, dropReason: string): void;
}

/**
 * The one connect skeleton of every client kind: `connect` starts the link and returns how to close
 * it; the open fails past CONNECT_TIMEOUT_MS or when the link is lost before `ready`, and a link
 * lost after it counts as a drop.
 */
function openClient(spec: Client['spec'], connect: (opening: Opening) => () => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client: Client = { spec, open: false, close: () => closeLink() };
    const opening: Opening = {
      ready() {
        if (client.open) return;
        clearTimeout(timer);
        client.open = true;
        clients.add(client);
        resolve(client);
      },
      lost(error, dropReason) {
        clearTimeout(timer);
        if (client.open) onDrop(client, dropReason);
        else reject(error);
        closeLink();
      },
    };
    const timer = setTimeout(() => opening.lost(new Error('connect timeout'), 'connect timeout'), CONNECT_TIMEOUT_MS);
    const closeLink = connect(opening);
  });
}

/** A WebSocket client of `url`: event frames are recorded, control frames go to `onControl`. */
function openWebSocket(spec: Client['spec'], url: string, headers: Record<string, string>, onControl: (data: Buffer, ws: WebSocket, opening: Opening) => void): Promise<Client> {
  return openClient(spec, (opening) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('error', (e) => opening.lost(e, `error ${e.message}`));
    ws.on('close', (code) => opening.lost(new Error(`closed ${code} before subscribed`), `close ${code}`));
    ws.on('message', (data: Buffer) => (isControlFrame(data) ? onControl(data, ws, opening) : recordFrame(data)));
    return () => ws.terminate();
  });
}

/** Tributary: Bearer token at the upgrade, then `subscribe`; done when every flow answered `subscribed`. */
function openTributary(spec: Client['spec']): Promise<Client> {
  let waiting = spec.flows.length;
  return openWebSocket(spec, spec.url, { authorization: `Bearer ${spec.token}` }, (data, ws, opening) => {
    const frame = JSON.parse(data.toString('utf8')) as { type?: string; message?: string };
    if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: spec.flows.map((flow) => ({ flow })) }));
    else if (frame.type === 'subscribed' && --waiting === 0) opening.ready();
    else if (frame.type === 'error') opening.lost(new Error(`error frame: ${frame.message ?? JSON.stringify(frame)}`), 'error frame');
  });
}

/** Socket.IO: WebSocket transport only, one Manager per connection (forceNew), then `subscribe` with an ack. */
function openSocketIo(spec: Client['spec']): Promise<Client> {
  return openClient(spec, (opening) => {
    const socket: Socket = io(spec.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
    socket.on('event', (event: { sent?: unknown; ph?: unknown }) => record(event));
    socket.on('connect_error', (e) => opening.lost(e, `connect_error ${e.message}`));
    socket.on('disconnect', (reason) => opening.lost(new Error(`disconnected (${reason}) before subscribed`), reason));
    socket.on('connect', () => {
      socket.timeout(CONNECT_TIMEOUT_MS).emit('subscribe', spec.flows, (err: Error | null) => (err ? opening.lost(err, 'subscribe failed') : opening.ready()));
    });
    return () => socket.disconnect();
  });
}

/** The ceiling peer: flows in the URL, subscribed when the `subscribed` frame comes. */
function openCeiling(spec: Client['spec']): Promise<Client> {
  return openWebSocket(spec, `${spec.url}/?flows=${spec.flows.join(',')}`, {}, (_data, _ws, opening) => opening.ready());
}

const openers = { tributary: openTributary, socketio: openSocketIo, ceiling: openCeiling };

async function openAll(specs: Client['spec'][], concurrency: number): Promise<ConnectResult> {
  const started = Date.now();
  const errors: string[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  const lane = async () => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      try {
        await openers[spec.kind](spec);
        ok++;
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, lane));
  return { ok, failed, errors, ms: Date.now() - started };
}

function specsOf(req: ConnectRequest): Client['spec'][] {
  const specs: Client['spec'][] = [];
  for (let i = req.first; i < req.first + req.count; i++) {
    specs.push({ kind: req.kind, url: req.urls[i % req.urls.length]!, token: req.tokens[i % req.tokens.length]!, flows: req.flowSets[i % req.flowSets.length]! });
  }
  return specs;
}

serveCommands<ClientCommands>({
  connect: (req) => openAll(specsOf(req), req.concurrency),
  phase: ({ phase }) => {
    current = phase;
    return null;
  },
  stats: ({ phase }): PhaseStats => {
    const s = phaseState(phase);
    return { delivered: s.delivered, firstAt: s.firstAt, lastAt: s.lastAt, latency: s.latency.toSparse() };
  },
  progress: () => ({ delivered, lastAt, open: clients.size, dropped, dropReasons }),
  heal: () => openAll(droppedClients.splice(0).map((c) => c.spec), 50),
  close: async () => {
    for (const c of clients) {
      c.open = false;
      c.close();
    }
    clients.clear();
    // Let the close frames leave before the parent reads RSS or starts the next run.
    await new Promise((r) => setTimeout(r, 200));
    return null;
  },
});
