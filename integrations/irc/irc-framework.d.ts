/** irc-framework ships no types: the part of its Client the IRC bridge and the tests use. */
declare module 'irc-framework' {
  import { EventEmitter } from 'node:events';

  export interface ConnectOptions {
    host: string;
    port: number;
    nick: string;
    tls?: boolean;
    username?: string;
    gecos?: string;
    password?: string;
    account?: { account: string; password: string };
    auto_reconnect?: boolean;
    enable_echomessage?: boolean;
    ping_interval?: number;
    ping_timeout?: number;
    /** A transport class instead of irc-framework's default; it is constructed with these options. */
    transport?: new (options: never) => unknown;
    /** Passed through to a custom transport. */
    [option: string]: unknown;
  }

  /** A PRIVMSG, NOTICE or ACTION as irc-framework reports it. */
  export interface MessageEvent {
    nick: string;
    ident: string;
    hostname: string;
    target: string;
    message: string;
    tags: Record<string, string>;
  }

  export class Client extends EventEmitter {
    constructor(options?: Partial<ConnectOptions>);
    connect(options?: Partial<ConnectOptions>): void;
    user: { nick: string };
    say(target: string, message: string): void;
    action(target: string, message: string): void;
    join(channel: string): void;
    part(channel: string, message?: string): void;
    raw(line: string): void;
    quit(message?: string): void;
    connected: boolean;
  }
}

/** irc-framework's TCP/TLS transport: the base of the bridge's own (checked-address-transport.ts). */
declare module 'irc-framework/src/transports/net' {
  import { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  class NetTransport extends EventEmitter {
    constructor(options: Record<string, unknown>);
    options: Record<string, unknown>;
    socket: Socket | null;
    state: number;
    requested_disconnect: boolean;
    incoming_buffer: Buffer;
    connect(): void;
    disposeSocket(): void;
    setEncoding(encoding: string): boolean;
    _onSocketCreate(options: Record<string, unknown>, socket: Socket): void;
  }
  export = NetTransport;
}
