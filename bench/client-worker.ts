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

/** Tributary: Bearer token at the upgrade, then `subscribe`; done when every flow answered `subscribed`. */
function openTributary(spec: Client['spec']): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(spec.url, { headers: { authorization: `Bearer ${spec.token}` }, perMessageDeflate: false });
    const client: Client = { spec, open: false, close: () => ws.terminate() };
    let waiting = spec.flows.length;
    const timer = setTimeout(() => fail(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
    const fail = (e: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(e);
    };
    ws.on('error', (e) => (client.open ? onDrop(client, `error ${e.message}`) : fail(e)));
    ws.on('close', (code) => (client.open ? onDrop(client, `close ${code}`) : fail(new Error(`closed ${code} before subscribed`))));
    ws.on('message', (data: Buffer) => {
      if (!isControlFrame(data)) return recordFrame(data);
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; message?: string };
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: spec.flows.map((flow) => ({ flow })) }));
      else if (frame.type === 'subscribed' && --waiting === 0) {
        clearTimeout(timer);
        client.open = true;
        clients.add(client);
        resolve(client);
      } else if (frame.type === 'error') fail(new Error(`error frame: ${frame.message ?? JSON.stringify(frame)}`));
    });
  });
}

/** Socket.IO: WebSocket transport only, one Manager per connection (forceNew), then `subscribe` with an ack. */
function openSocketIo(spec: Client['spec']): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(spec.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
    const client: Client = { spec, open: false, close: () => socket.disconnect() };
    socket.on('event', (event: { sent?: unknown; ph?: unknown }) => record(event));
    socket.on('connect_error', (e) => reject(e));
    socket.on('disconnect', (reason) => onDrop(client, reason));
    socket.on('connect', () => {
      socket.timeout(CONNECT_TIMEOUT_MS).emit('subscribe', spec.flows, (err: Error | null) => {
        if (err) {
          socket.disconnect();
          return reject(err);
        }
        client.open = true;
        clients.add(client);
        resolve(client);
      });
    });
  });
}

/** The ceiling peer: flows in the URL, subscribed when the `subscribed` frame comes. */
function openCeiling(spec: Client['spec']): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${spec.url}/?flows=${spec.flows.join(',')}`, { perMessageDeflate: false });
    const client: Client = { spec, open: false, close: () => ws.terminate() };
    const timer = setTimeout(() => fail(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
    const fail = (e: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(e);
    };
    ws.on('error', (e) => (client.open ? onDrop(client, `error ${e.message}`) : fail(e)));
    ws.on('close', (code) => (client.open ? onDrop(client, `close ${code}`) : fail(new Error(`closed ${code} before subscribed`))));
    ws.on('message', (data: Buffer) => {
      if (!isControlFrame(data)) return recordFrame(data);
      clearTimeout(timer);
      client.open = true;
      clients.add(client);
      resolve(client);
    });
  });
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
