/** irc-framework ships no types: the part of its Client the tests use. */
declare module 'irc-framework' {
  import { EventEmitter } from 'node:events';

  export interface ConnectOptions {
    host: string;
    port: number;
    nick: string;
    username?: string;
    gecos?: string;
    password?: string;
    account?: { account: string; password: string };
    auto_reconnect?: boolean;
    enable_echomessage?: boolean;
    ping_interval?: number;
    ping_timeout?: number;
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
