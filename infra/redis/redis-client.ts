/** How every Redis connection of a process is opened: one set of reconnect and timeout settings, one factory type. */
import { Redis, type RedisOptions } from 'ioredis';

/** Longest pause between reconnect attempts: after a move or a restart, a waiting client tries again within this. */
const MAX_RETRY_DELAY_MS = 200;
/**
 * Reconnect attempts a queued command survives before it fails (about 7 s at the delays above):
 * longer than a failover, so commands issued meanwhile run on the new master, yet bounded, so a
 * master that never comes back turns into errors (503 at the edge) instead of hangs.
 */
const MAX_RETRIES_PER_REQUEST = 40;
/**
 * How long one command may wait for its reply, queued or sent, by default: longer than a
 * failover (0.7–1.8 s), short enough that a request answers 503 instead of hanging on a Redis
 * that is stopped (SIGSTOP keeps its connections open and answers nothing). On a connection that
 * pipelines automatically (ADR 036), a command queued behind a pipeline in flight starts its timeout
 * when it is sent: up to twice this before it fails.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 3000;

/**
 * What a caller may choose for one connection: its name (CLIENT LIST); for blocking reads, no
 * command timeout; for a connection many requests send on at once, `enableAutoPipelining` (the
 * commands issued in one turn of the event loop leave in one write: ADR 036); for a subscriber
 * that subscribes again by itself after a reconnect, `autoResubscribe: false`.
 */
export type ConnectionOptions = Pick<RedisOptions, 'connectionName' | 'commandTimeout' | 'enableAutoPipelining' | 'autoResubscribe'>;

/** Opens a new client. Every Redis adapter opens each of its connections through one, so all share these settings. */
export type RedisConnect = (options?: ConnectionOptions) => Redis;

/** The settings every connection starts from; `commandTimeoutMs` 0 disables the command timeout. */
export function clientDefaults(commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): RedisOptions {
  return {
    retryStrategy: (times) => Math.min(times * 50, MAX_RETRY_DELAY_MS),
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    ...(commandTimeoutMs > 0 ? { commandTimeout: commandTimeoutMs } : {}),
    // The tests set this (test/global-setup.js): a command that fails when its client closes then
    // reports the code that sent it, not ioredis's close handler. It costs a stack trace per command.
    ...(process.env.TRIBUTARY_REDIS_CALLER_STACKS === '1' ? { showFriendlyErrorStack: true } : {}),
  };
}

/**
 * Connections to the Redis at `url`. Each client gets an `error` listener, so ioredis never
 * prints its own "Unhandled error event" lines: the commands that fail say why, and a process
 * that wants the connection's story logged wraps this with `logConnections`.
 */
export function connectByUrl(url: string, commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): RedisConnect {
  return (options = {}) => quiet(new Redis(url, { ...clientDefaults(commandTimeoutMs), ...options }));
}

/** Adds a no-op `error` listener: ioredis reconnects by itself, and prints any error nobody listens to. */
export function quiet(client: Redis): Redis {
  client.on('error', () => {});
  return client;
}

/**
 * Closes a client: QUIT when it is connected (pending replies still arrive), else at once. QUIT on
 * a client that cannot reach its server waits for a reconnect that may never come, so a command
 * run while Redis is down would never exit.
 */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => {
    // A QUIT refused because the connection closed under it: disconnecting again would start
    // ioredis's wait for a close that already happened (a 2 s timer that keeps the process up).
    if (client.status !== 'end') client.disconnect();
  });
}
