/**
 * The IRC bridge (issue 13 point 4, ADR 022): one `irc` source relays its flow and one channel on
 * an IRC network both ways. IRC → flow: each channel line is posted as the source with the IRC
 * nick as `external_user_name`. Flow → IRC: the flow is read from the store after a cursor, and
 * each message is sent as `<nick> text` through a flood-limited queue; the cursor moves only once
 * a message's last line is on the socket, so a reconnect re-reads what the link lost.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Client, type MessageEvent } from 'irc-framework';
import type { Source } from '../../core/domain/source';
import { AppError } from '../../core/errors';
import type { MessageJson } from '../../core/domain/types';
import type { Log } from '../../core/log';
import type { CheckedAddress } from '../outbound/source-outbound';
import { CheckedAddressTransport } from './checked-address-transport';
import { FloodQueue } from './flood-queue';
import { parseIrcSourceConfig } from '../../core/integrations/irc-config';
import { ircLinesOf, ircMentionsToFlow, ircTextBudget, stripIrcFormatting } from './irc-text';

/** What the bridge reports as it goes (the integrations worker stores it as the source's status). */
export interface IrcBridgeStatus {
  state: 'connecting' | 'joined' | 'reconnecting' | 'stopped';
  /** The last failure (connection, post), or null once joined again. */
  error: string | null;
  /** The flow message id up to which everything is on IRC: persist it, and pass it back as `cursor`. */
  cursor: number;
  /** IRC lines posted into the flow, and flow messages relayed to IRC, since the start. */
  posted: number;
  relayed: number;
  /** When the next connection attempt is due (state `reconnecting`). */
  nextAttemptAt: Date | null;
}

/** A chat line from IRC, as the bridge posts it into the flow. */
export interface IrcPost {
  content: string;
  external_user_name: string;
  /** Stable per IRC line: a retry of the same post is a retry, not a second message. */
  uuid: string;
}

/** The narrow interface the bridge needs; `coreBridgeDeps` (irc-bridge-deps.ts) builds it from the core ports. */
export interface IrcBridgeDeps {
  post(post: IrcPost): Promise<void>;
  /** Flow messages with id > `cursor`, ascending, at most `limit`. */
  messagesAfter(cursor: number, limit: number): Promise<MessageJson[]>;
  /** The flow's newest message id (where a bridge without a cursor starts). */
  lastMessageId(): Promise<number>;
  /** The name a flow message is shown under on IRC (the poster's nick, or its `external_user_name`). */
  authorOf(message: MessageJson): Promise<string>;
  /** The address to connect to for the server's name, checked by the outbound address guard (refused: throws). */
  address(host: string): Promise<CheckedAddress>;
  /**
   * Takes each status as it changes; what it returns for a cursor move should settle once that
   * cursor is stored: the bridge sends the next flow message only then, so a bridge killed at any
   * moment has at most one message on IRC beyond its stored cursor.
   */
  status(status: IrcBridgeStatus): void | Promise<void>;
  log: Log;
  /** A cursor persisted by an earlier run; absent: start after the flow's newest message. */
  cursor?: number;
  /** How often the flow is read when the queue is idle (default 250 ms). */
  pollMs?: number;
  /** The first wait before a reconnect or a re-join, doubling from there (default 1 s; tests shorten it). */
  reconnectMinMs?: number;
}

export interface IrcBridge {
  stop(): Promise<void>;
}

const DEFAULT_RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 60_000;
const READ_BATCH = 50;
/** Attempts per post (same uuid each time) before the line is reported lost; a refusal (4xx) is not retried. */
const POST_ATTEMPTS = 4;

const sameChannel = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** irc-framework's names for the numerics that refuse a JOIN (471, 473, 474, 475): retried later, as after a kick. */
const JOIN_REFUSALS = new Set(['channel_is_full', 'invite_only_channel', 'banned_from_channel', 'bad_channel_key']);

/** The wait before attempt `n` (0-based) of something retried: doubling from `minMs`, capped, ±25 %. */
const backoffFrom = (minMs: number, n: number): number => Math.min(RECONNECT_MAX_MS, minMs * 2 ** n) * (0.75 + Math.random() / 2);

/** A uuid stable for one IRC line: the server's msgid when it gives one, else one drawn once. */
function uuidOf(sourceId: number, event: MessageEvent): string {
  const id = event.tags?.msgid ?? randomUUID();
  return `irc-${createHash('sha256').update(`${sourceId}\u0000${id}`).digest('base64url').slice(0, 32)}`;
}

export async function startIrcBridge(source: Source, deps: IrcBridgeDeps): Promise<IrcBridge> {
  const config = parseIrcSourceConfig(source.config);
  const pollMs = deps.pollMs ?? 250;
  const backoff = (n: number): number => backoffFrom(deps.reconnectMinMs ?? DEFAULT_RECONNECT_MIN_MS, n);
  const status: IrcBridgeStatus = { state: 'connecting', error: null, cursor: deps.cursor ?? (await deps.lastMessageId()), posted: 0, relayed: 0, nextAttemptAt: null };
  const report = (changes: Partial<IrcBridgeStatus>): Promise<void> => {
    Object.assign(status, changes);
    return Promise.resolve(deps.status({ ...status })).catch((err: unknown) => {
      // The next report writes a newer cursor anyway; meanwhile a takeover may resend what follows the stored one.
      deps.log.warn({ err, source: source.id }, 'irc bridge: storing the status failed');
    });
  };

  let client: Client | null = null;
  let joined = false;
  let stopped = false;
  let attempts = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reading = false;
  /** Inbound posts, one at a time, so the flow gets IRC's order. */
  let posting: Promise<void> = Promise.resolve();

  const queue = new FloodQueue((line) => client?.raw(`PRIVMSG ${config.channel} :${line}`), { burst: config.flood.burst, intervalMs: config.flood.interval_ms });

  async function postWithRetries(post: IrcPost): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.post(post);
        report({ posted: status.posted + 1 });
        return;
      } catch (err) {
        // A refusal (bad text, a deleted source, an archived flow) will not change on a retry; an outage might.
        const refused = err instanceof AppError && err.status < 500;
        if (refused || attempt >= POST_ATTEMPTS || stopped) {
          report({ error: `an IRC line from ${post.external_user_name} could not be posted: ${(err as Error).message}` });
          deps.log.warn({ err, source: source.id }, 'irc bridge: post failed');
          return;
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }

  function fromIrc(event: MessageEvent, action: boolean): void {
    if (!client || !sameChannel(event.target, config.channel) || event.nick === client.user.nick) return;
    const plain = stripIrcFormatting(event.message);
    if (plain.trim() === '') return;
    const text = action ? `*${plain}*` : ircMentionsToFlow(plain);
    const post: IrcPost = { content: text, external_user_name: event.nick, uuid: uuidOf(source.id, event) };
    posting = posting.then(() => postWithRetries(post));
  }

  /** Reads the flow after the cursor when everything read before is on IRC. */
  async function pump(): Promise<void> {
    if (!joined || reading || queue.length > 0 || stopped) return;
    reading = true;
    try {
      const messages = await deps.messagesAfter(status.cursor, READ_BATCH);
      const nick = client?.user.nick ?? config.nick;
      for (const message of messages) {
        if (!joined) return; // the link went while reading: the cursor stays, the next join re-reads
        const relayable = message.event === 'message' && typeof message.content === 'string' && message.source_id !== source.id;
        if (relayable) {
          const lines = ircLinesOf(await deps.authorOf(message), message.content as string, (prefix) => ircTextBudget(nick, config.channel, prefix));
          for (const line of lines) queue.push(line);
        }
        // The next message waits until this cursor is stored (FloodQueue.mark): the resend window is one message.
        queue.mark(() => {
          const stored = report({ cursor: message.id, relayed: status.relayed + (relayable ? 1 : 0) });
          // Past a message that sent nothing (not relayed) there is nothing to resend: no need to wait.
          return relayable ? stored : Promise.resolve();
        });
      }
    } catch (err) {
      deps.log.warn({ err, source: source.id }, 'irc bridge: reading the flow failed');
    } finally {
      reading = false;
    }
  }
  const poller = setInterval(() => void pump(), pollMs);

  /** The next attempt, backing off; `error` says why this one failed. */
  function reconnectLater(error: string): void {
    const delay = backoff(attempts++);
    report({ state: 'reconnecting', error, nextAttemptAt: new Date(Date.now() + delay) });
    reconnectTimer = setTimeout(() => void connect(), delay);
  }

  async function connect(): Promise<void> {
    reconnectTimer = null;
    report({ state: 'connecting', nextAttemptAt: null });
    let checked: CheckedAddress;
    try {
      checked = await deps.address(config.server);
    } catch (err) {
      // A refused address (the guard) or a name that does not resolve: shown on the status, tried again later.
      // The guard's refusal names the address it refused: a name is said before it, an address not twice.
      const why = (err as Error).message;
      if (!stopped) reconnectLater(isIP(config.server) ? why : `${config.server}: ${why}`);
      return;
    }
    if (stopped) return;
    const irc = new Client();
    client = irc;
    let joinAttempts = 0;
    /** Out of the channel on this link (kicked, or the JOIN refused): try again later, backing off. */
    const rejoinLater = (): void => {
      joined = false;
      queue.clear();
      setTimeout(() => client === irc && !stopped && irc.join(config.channel), backoff(joinAttempts++));
    };
    irc.on('registered', () => irc.join(config.channel));
    irc.on('join', (event: { nick: string; channel: string }) => {
      if (event.nick !== irc.user.nick || !sameChannel(event.channel, config.channel)) return;
      joined = true;
      attempts = 0;
      joinAttempts = 0;
      report({ state: 'joined', error: null });
      void pump();
    });
    irc.on('kick', (event: { kicked: string; channel: string; nick: string; message?: string }) => {
      if (event.kicked !== irc.user.nick || !sameChannel(event.channel, config.channel)) return;
      report({ error: `kicked from ${config.channel} by ${event.nick}${event.message ? `: ${event.message}` : ''}` });
      rejoinLater();
    });
    irc.on('nick in use', () => irc.raw(`NICK ${irc.user.nick}_`));
    irc.on('privmsg', (event: MessageEvent) => fromIrc(event, false));
    irc.on('action', (event: MessageEvent) => fromIrc(event, true));
    irc.on('irc error', (event: { error: string; channel?: string; reason?: string }) => {
      report({ error: `IRC error ${event.error}${event.reason ? `: ${event.reason}` : ''}` });
      if (JOIN_REFUSALS.has(event.error) && event.channel && sameChannel(event.channel, config.channel)) rejoinLater();
    });
    irc.on('close', () => {
      if (client !== irc) return;
      joined = false;
      queue.clear();
      client = null;
      if (stopped) return;
      reconnectLater(status.error ?? `lost the link to ${config.server}:${config.port}`);
    });
    irc.connect({
      // The checked address, never the name again (no second lookup can differ); the name for TLS.
      host: checked.address, port: config.port, tls: config.tls, servername: config.server, ...(checked.ca ? { ca: checked.ca } : {}),
      transport: CheckedAddressTransport,
      nick: config.nick, username: config.nick,
      gecos: `Tributary bridge (source ${source.id})`, password: config.password,
      auto_reconnect: false, enable_echomessage: false,
    });
  }
  void connect();

  return {
    async stop() {
      stopped = true;
      clearInterval(poller);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      queue.clear();
      if (client) client.quit('bridge stopped');
      await posting;
      report({ state: 'stopped', nextAttemptAt: null });
    },
  };
}
