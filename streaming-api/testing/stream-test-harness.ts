/**
 * Test harness for the streaming API: a directory and a message store (the real Postgres ones, or
 * the in-process ones for the unit tier), in-process bus, a real HTTP server, ws and http clients.
 */
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { WebSocket } from 'ws';
import { Authenticator } from '../../core/auth/authenticator';
import { type MessageJson, flowConversation } from '../../core/domain/types';
import { InProcessBus } from '../../core/in-process/in-process-bus';
import { InProcessDirectory } from '../../core/in-process/in-process-directory';
import { InProcessMessageStore } from '../../core/in-process/in-process-message-store';
import { InProcessPresence } from '../../core/in-process/in-process-presence';
import { InProcessWorkQueue } from '../../core/in-process/in-process-work-queue';
import { silentLog } from '../../core/log';
import { flowChannel } from '../../core/messaging/channels';
import { MessageIngress } from '../../core/messaging/message-ingress';
import { createMetrics } from '../../core/metrics';
import { PasswordHasher } from '../../core/passwords';
import type { Directory } from '../../core/ports/directory';
import type { MessageStore } from '../../core/ports/message-store';
import { PostgresDirectory } from '../../infra/postgres/directory/postgres-directory';
import { PostgresMessageStore } from '../../infra/postgres/postgres-message-store';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { createStreamingService, type StreamingService } from '../create-streaming-service';
import type { StreamingOptionsInput } from '../options';

/** A fence no lease row ever matches, so the simulated backend's writes are always accepted. */
const SIMULATED_FENCE = { shard: 999, token: 1 };

/** Polls until `check` returns a value (not undefined, null or false) or the time is up. */
export async function waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A WebSocket client that records every text frame, parsed. */
export class TestWs {
  readonly frames: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString('utf8'))));
    ws.on('close', (code: number) => (this.closeCode = code));
  }
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  next(predicate: (f: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>> {
    return waitFor(() => this.frames.find(predicate), what, timeoutMs);
  }
  /** Events only: frames without `type`. */
  events(): Record<string, unknown>[] {
    return this.frames.filter((f) => !('type' in f));
  }
}

/** An HTTP stream whose raw body is accumulated as text. */
export interface TestStream {
  res: IncomingMessage;
  body(): string;
  close(): void;
}

/** What a harness runs on: a directory and a store, and the test database behind them (null when in-process). */
interface HarnessParts<Db> {
  db: Db;
  directory: Directory;
  store: MessageStore;
}

/** `Db` is the test database the harness runs on, or null for the in-process parts. */
export class StreamHarness<Db extends TestDatabase | null = TestDatabase> {
  readonly bus = new InProcessBus();
  readonly metrics = createMetrics();
  readonly presence = new InProcessPresence({ ttlMs: 60_000 });
  readonly queue = new InProcessWorkQueue();
  readonly db: Db;
  readonly directory: Directory;
  readonly store: MessageStore;
  readonly ingress: MessageIngress;
  readonly service: StreamingService;
  readonly server: Server;
  private readonly clients: { close(): void }[] = [];

  private constructor(parts: HarnessParts<Db>, options: StreamingOptionsInput) {
    ({ db: this.db, directory: this.directory, store: this.store } = parts);
    this.ingress = new MessageIngress({ queue: this.queue, bus: this.bus, shardCount: 4, persistTimeoutMs: 5000 });
    this.service = createStreamingService({
      directory: this.directory, store: this.store, bus: this.bus, authenticator: new Authenticator(this.directory),
      postDeps: { directory: this.directory, store: this.store, ingress: this.ingress },
      presence: this.presence, metrics: this.metrics, log: silentLog(), options,
    });
    const app = express();
    app.use(this.service.router);
    this.server = createServer(app);
    this.server.on('upgrade', (req, socket, head) => this.service.handleUpgrade(req, socket, head));
  }

  /** On a fresh Postgres test database: the integration tier. */
  static async start(options: StreamingOptionsInput = {}): Promise<StreamHarness<TestDatabase>> {
    const db = await createTestDatabase();
    return new StreamHarness({ db, directory: new PostgresDirectory(db.pool), store: new PostgresMessageStore({ pool: db.pool }) }, options).listen();
  }

  /** On the in-process directory and store, which pass the same contract suites: the unit tier, no server needed. */
  static async startInProcess(options: StreamingOptionsInput = {}): Promise<StreamHarness<null>> {
    const directory = new InProcessDirectory(new PasswordHasher({ cost: 1024 }));
    return new StreamHarness({ db: null, directory, store: new InProcessMessageStore() }, options).listen();
  }

  private async listen(): Promise<this> {
    await this.ingress.start();
    await this.service.ready;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** An organization with a user (and API token) who is a member of a new flow. */
  async seedUser(label: string) {
    const org = await this.directory.createOrganization(`Org ${label} ${randomUUID().slice(0, 6)}`);
    const user = await this.directory.createUser({ email: `${label}-${randomUUID().slice(0, 8)}@example.test`, password: 'secret-password', nick: label });
    await this.directory.addOrganizationMember(org.id, user.id, false);
    const flow = await this.directory.createFlow(org.id, `Flow ${label}`);
    await this.directory.addFlowMember(flow.id, user.id);
    const token = await this.directory.createApiToken(user.id);
    return { org, user, flow, token, path: `${org.parameterizedName}/${flow.parameterizedName}` };
  }

  /**
   * What the message backend does: persist a batch, then publish each message's JSON on its flow
   * channel. Ids follow the store's last one, or start at `first` (a test counting the store's reads).
   */
  async persist(flowId: string, count: number, options: { publish?: boolean; content?: (id: number) => string; first?: number } = {}): Promise<MessageJson[]> {
    const conversation = flowConversation(flowId);
    const first = options.first ?? (await this.store.lastId(conversation)) + 1;
    const messages = Array.from({ length: count }, (_, i): MessageJson => {
      const id = first + i;
      return {
        id, uuid: randomUUID(), event: 'message', content: options.content?.(id) ?? `message ${id}`, tags: [], user: '1', flow: flowId,
        sent: Date.now(), created_at: new Date().toISOString(), edited: null, app: 'chat', attachments: [],
      };
    });
    await this.store.writeBatch({ inserts: messages.map((message) => ({ conversation, message })), updates: [], threads: [] }, SIMULATED_FENCE);
    if (options.publish !== false) for (const m of messages) await this.bus.publish(flowChannel(flowId), JSON.stringify(m));
    return messages;
  }

  async ws(query = '', headers: Record<string, string> = {}): Promise<TestWs> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/ws${query}`, { headers });
    this.clients.push({ close: () => ws.terminate() });
    const client = new TestWs(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens an HTTP stream; resolves with the response (any status) once its head arrived. */
  stream(path: string, headers: Record<string, string> = {}): Promise<TestStream> {
    return new Promise((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port: this.port, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', () => {});
        const close = (): void => void req.destroy();
        this.clients.push({ close });
        resolve({ res, body: () => text, close });
      });
      req.on('error', reject);
    });
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.close();
    await this.service.close();
    await this.ingress.stop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.bus.close();
    await this.queue.close();
    await this.db?.drop();
  }
}

export const basic = (user: string, password = ''): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
