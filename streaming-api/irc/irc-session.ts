/**
 * IrcSession: one IRC client from accept to close. Reads lines (refusing bad ones with an error
 * reply), handles them one at a time in arrival order, registers the client (CAP, PASS or SASL
 * PLAIN, NICK, USER), then opens a Connection on the shared hub like any streaming client.
 */
import type { Socket } from 'node:net';
import type { User } from '../../core/domain/types';
import { AppError } from '../../core/errors';
import { ircClientName } from '../../core/ports/irc-resume-points';
import type { Connection } from '../connection';
import type { StreamCaller } from '../streaming-context';
import type { SessionView } from './irc-event-lines';
import type { IrcGatewayContext } from './irc-gateway-context';
import { formatLine, type IrcMessage, parseLine } from './irc-line';
import { IrcLineReader, type ReadLine } from './irc-line-reader';
import { credentialsOfPass, credentialsOfSaslPlain, type IrcCredentials, logIn } from './irc-login';
import { NickMap } from './irc-names';
import { fail, numeric } from './irc-replies';
import { IrcSink } from './irc-sink';

/** The IRCv3 capabilities offered. */
export const CAPABILITIES = ['server-time', 'message-tags', 'echo-message', 'sasl'] as const;
type Capability = (typeof CAPABILITIES)[number];

/** How the logged-in part of a session is driven (irc-client.ts); kept apart so that the two do not import each other. */
export interface LoggedIn {
  handle(message: IrcMessage): Promise<void>;
  /** Joins the user channel and the open flows, resuming where the user's last client left off. */
  start(): Promise<void>;
}

/** The logged-in part is also what renders events for this client. */
export type LoggedInFactory = (session: IrcSession, user: User) => LoggedIn & SessionView;

/** Before login a client only gets a few short replies: more than this unsent means it does not read them. */
const MAX_UNSENT_BEFORE_LOGIN = 64 * 1024;

export class IrcSession {
  readonly caps = new Set<Capability>();
  readonly nicks = new NickMap();
  nick = '*';
  connection: Connection | null = null;
  sink: IrcSink | null = null;
  private readonly reader = new IrcLineReader();
  private readonly queue: ReadLine[] = [];
  private draining = false;
  private capNegotiating = false;
  private credentials: IrcCredentials | null = null;
  private saslCaller: StreamCaller | null = null;
  private userGiven = false;
  /** The username of the `USER` line: tells a user's IRC clients apart for resuming (ircClientName). */
  clientName = '';
  private loggingIn = false;
  private loggedIn: LoggedIn | null = null;
  private closed = false;
  private readonly registrationTimer: NodeJS.Timeout;

  constructor(
    readonly gateway: IrcGatewayContext,
    readonly socket: Socket,
    private readonly loggedInFactory: LoggedInFactory,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.socketOnData(chunk));
    socket.on('close', () => this.socketOnClose());
    // Errors are followed by 'close'; without a listener they would crash the process.
    socket.on('error', (err) => gateway.ctx.deps.log.debug({ err }, 'irc socket error'));
    this.registrationTimer = setTimeout(() => this.refuse('Registration timeout: send PASS, NICK and USER'), gateway.options.registrationTimeoutMs);
    this.registrationTimer.unref();
  }

  get server(): string {
    return this.gateway.options.serverName;
  }

  /** Writes a line: through the connection once logged in (ordered with events), straight to the socket before. */
  send(...lines: string[]): void {
    if (this.closed || lines.length === 0) return;
    if (this.connection) this.connection.sendControl({ type: 'irc', lines });
    else {
      for (const line of lines) this.socket.write(line);
      // No slow-consumer check guards a client yet to log in: one that sends (PINGs) and never reads
      // would have its replies buffered here without bound, a gigabyte in seconds. Cut it instead.
      if (this.socket.writableLength > MAX_UNSENT_BEFORE_LOGIN) {
        this.closed = true;
        this.socket.destroy();
      }
    }
  }

  /** A numeric reply to this client. */
  reply(code: string, ...params: string[]): void {
    this.send(numeric(this.server, this.nick, code, ...params));
  }

  /** Closes the link with ERROR (after the lines still queued). */
  close(reason: string): void {
    if (this.closed) return;
    if (this.connection) {
      // What is queued goes first, then ERROR; the connection's close then ends the socket.
      this.connection.flush();
      this.socket.write(formatLine(null, 'ERROR', [`Closing link: ${reason}`]));
      this.connection.close('client gone');
      return;
    }
    this.closed = true;
    this.socket.end(formatLine(null, 'ERROR', [`Closing link: ${reason}`]));
    setTimeout(() => this.socket.destroy(), this.gateway.ctx.options.slowConsumerGraceMs).unref();
  }

  /** Where this client left off, for its next login on any node; a failure costs that resume only, so it is logged, not thrown. */
  private async saveResumePoints(user: User): Promise<void> {
    try {
      await this.gateway.resumePoints.save(user.id, this.clientName, this.connection!.cursors.snapshot());
    } catch (err) {
      this.gateway.ctx.deps.log.warn({ err, user: user.id }, 'irc: could not save where the client left off; its next login will not resume');
    }
  }

    private refuse(reason: string): void {
    if (!this.loggedIn) this.close(reason);
  }

  private socketOnData(chunk: Buffer): void {
    this.sink?.heardFromClient();
    for (const read of this.reader.push(chunk)) {
      if (read.kind === 'refused') this.refuseLine(read);
      else if (this.queue.length >= this.gateway.options.maxQueuedLines) {
        this.send(fail(this.server, parseLine(read.text)?.command ?? '*', 'FLOOD', `Line dropped: more than ${this.gateway.options.maxQueuedLines} lines are waiting; slow down`));
      } else this.queue.push(read);
    }
    void this.drain();
  }

  private refuseLine(read: Extract<ReadLine, { kind: 'refused' }>): void {
    if (read.problem === 'too long') {
      this.reply('417', 'Input line was too long (512 bytes at most, CRLF included, as RFC 1459 says); the line was ignored');
      return;
    }
    const code = read.problem === 'invalid UTF-8' ? 'INVALID_UTF8' : 'INVALID_TEXT';
    this.send(fail(this.server, read.command, code, `The line was ignored: it holds ${read.problem === 'NUL byte' ? 'a NUL byte' : 'bytes that are not UTF-8'}; send UTF-8 text without NUL`));
  }

  /** One line at a time, in order: a post is acknowledged before the next line's post starts. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.closed && this.queue.length) {
        const read = this.queue.shift()!;
        const message = read.kind === 'line' ? parseLine(read.text) : null;
        if (message) await this.handle(message).catch((error: unknown) => this.handleFailed(message, error));
      }
    } finally {
      this.draining = false;
    }
  }

  private handleFailed(message: IrcMessage, error: unknown): void {
    if (!(error instanceof AppError)) this.gateway.ctx.deps.log.error({ err: error, command: message.command }, 'irc command failed');
    this.send(fail(this.server, message.command, error instanceof AppError ? error.code : 'INTERNAL_ERROR', error instanceof AppError ? error.message : 'The server failed; try again'));
  }

  private async handle(message: IrcMessage): Promise<void> {
    const { command, params } = message;
    if (command === 'PING') return this.send(formatLine(this.server, 'PONG', [this.server, params[0] ?? this.server]));
    if (command === 'PONG') return;
    if (command === 'QUIT') {
      // Saved before the link closes: a client that quits and reconnects to another node at once finds its positions there.
      if (this.connection) await this.saveResumePoints(this.connection.user);
      return this.close(`Quit: ${params[0] ?? ''}`);
    }
    if (command === 'CAP') return this.cap(params);
    if (this.loggedIn) return this.loggedIn.handle(message);
    switch (command) {
      case 'PASS':
        this.credentials = credentialsOfPass(params);
        return;
      case 'AUTHENTICATE':
        return this.authenticate(params[0] ?? '');
      case 'NICK':
        if (params[0]) this.nick = params[0];
        return this.tryRegister();
      case 'USER':
        this.userGiven = true;
        this.clientName = ircClientName(params[0] ?? '');
        return this.tryRegister();
      default:
        return this.reply('451', 'You have not registered: send PASS <email> <password>, NICK and USER first');
    }
  }

  private cap(params: readonly string[]): Promise<void> | void {
    const sub = (params[0] ?? '').toUpperCase();
    if (sub === 'LS') {
      if (!this.loggedIn) this.capNegotiating = true;
      // CAP 302 clients get capability values: the SASL mechanisms offered.
      const offered = CAPABILITIES.map((c) => (c === 'sasl' && params[1] === '302' ? 'sasl=PLAIN' : c));
      return this.send(formatLine(this.server, 'CAP', [this.nick, 'LS', offered.join(' ')]));
    }
    if (sub === 'LIST') return this.send(formatLine(this.server, 'CAP', [this.nick, 'LIST', [...this.caps].join(' ')]));
    if (sub === 'REQ') {
      if (!this.loggedIn) this.capNegotiating = true;
      const asked = (params[1] ?? '').split(' ').filter(Boolean);
      const known = asked.every((c) => CAPABILITIES.includes(c.replace(/^-/, '') as Capability));
      if (known) for (const c of asked) c.startsWith('-') ? this.caps.delete(c.slice(1) as Capability) : this.caps.add(c as Capability);
      return this.send(formatLine(this.server, 'CAP', [this.nick, known ? 'ACK' : 'NAK', asked.join(' ')]));
    }
    if (sub === 'END') {
      this.capNegotiating = false;
      return this.tryRegister();
    }
    this.reply('410', sub || '*', 'Invalid CAP command');
  }

  /** SASL PLAIN: `AUTHENTICATE PLAIN`, `+`, then the base64 credentials (one chunk: they fit in 400 bytes). */
  private async authenticate(param: string): Promise<void> {
    if (param.toUpperCase() === 'PLAIN') return this.send(formatLine(null, 'AUTHENTICATE', ['+']));
    if (param === '*') return this.reply('906', 'SASL authentication aborted');
    if (!/^[A-Za-z0-9+/=]+$/.test(param)) return this.reply('908', 'PLAIN', 'are available SASL mechanisms');
    const credentials = credentialsOfSaslPlain(param);
    if (!credentials) return this.reply('904', 'SASL authentication failed: send base64 of "\\0<email>\\0<password>" or "\\0<api token>\\0"');
    try {
      this.saslCaller = await logIn(this.gateway.ctx.deps.authenticator, credentials, this.socket.remoteAddress);
      const { nick } = this.saslCaller.user;
      this.reply('900', `${this.nick}!*@*`, nick, `You are now logged in as ${nick}`);
      this.reply('903', 'SASL authentication successful');
    } catch (error) {
      this.reply('904', `SASL authentication failed: ${error instanceof AppError ? error.message : 'try again'}`);
    }
  }

  private async tryRegister(): Promise<void> {
    if (this.loggedIn || this.loggingIn || this.nick === '*' || !this.userGiven || this.capNegotiating) return;
    this.loggingIn = true;
    let caller = this.saslCaller;
    try {
      if (!caller) {
        if (!this.credentials) throw new AppError('UNAUTHENTICATED', 'Password required: PASS <email> <password> (or an API token)');
        caller = await logIn(this.gateway.ctx.deps.authenticator, this.credentials, this.socket.remoteAddress);
      }
    } catch (error) {
      const why = error instanceof AppError && error.code === 'RATE_LIMITED' ? error.message : error instanceof AppError ? `Password incorrect: ${error.message}` : 'Login unavailable; try again';
      this.reply('464', why);
      return this.close(why);
    } finally {
      this.loggingIn = false;
    }
    clearTimeout(this.registrationTimer);
    this.open(caller);
  }

  private open(caller: StreamCaller): void {
    const { user } = caller;
    const asked = this.nick;
    this.nick = this.nicks.set(user.id, user.nick);
    const loggedIn = this.loggedInFactory(this, user);
    this.sink = new IrcSink(this.socket, loggedIn, this.gateway.ctx.options.slowConsumerGraceMs);
    try {
      this.connection = this.gateway.ctx.openConnection(caller, this.sink, {
        onClosed: () => {
          this.closed = true;
          void this.saveResumePoints(user);
        },
        onRevoked: (flowIds) => this.onRevoked?.(flowIds),
      });
    } catch (error) {
      // Not welcomed, so still known by the nick it asked for. The password changed while logging in (as a wrong one: 464), or over the per-user cap.
      this.nick = asked;
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
        this.reply('464', error.message);
        this.close(error.message);
      } else {
        this.send(fail(this.server, 'USER', 'RATE_LIMITED', error instanceof AppError ? error.message : 'Too many connections'));
        this.close('too many connections');
      }
      return;
    }
    this.loggedIn = loggedIn;
    this.connection.markReady();
    const s = this.server;
    this.send(
      numeric(s, asked, '001', `Welcome to Tributary, ${this.nick}`),
      ...(asked !== this.nick ? [formatLine(`${asked}!u${user.id}@tributary`, 'NICK', [this.nick])] : []),
      numeric(s, this.nick, '002', `Your host is ${s}`),
      numeric(s, this.nick, '003', 'This server speaks for Tributary'),
      numeric(s, this.nick, '004', s, 'tributary', 'i', 'is'),
      numeric(s, this.nick, '005', 'CHANTYPES=#', 'CASEMAPPING=rfc1459', 'NETWORK=Tributary', 'NICKLEN=64', 'CHANNELLEN=200', 'are supported by this server'),
      numeric(s, this.nick, '422', 'No MOTD; your open flows are joined as channels #<org>/<flow>'),
    );
    loggedIn.start().catch((error: unknown) => {
      this.gateway.ctx.deps.log.warn({ err: error }, 'irc login: joining flows failed');
      this.send(fail(s, 'JOIN', 'UNAVAILABLE', 'Could not join your flows; reconnect to try again'));
    });
  }

  /** Set by the logged-in part: flows the connection was cut from. */
  onRevoked: ((flowIds: string[]) => void) | null = null;

  private socketOnClose(): void {
    this.closed = true;
    clearTimeout(this.registrationTimer);
    this.connection?.close('client gone');
  }
}
