/** Configuration: environment variables, validated once at start (the README's table lists them all). */
import { z } from 'zod';
import { parseInput } from './validation';

const int = (def: number) => z.coerce.number().int().positive().default(def);
/** An optional port: unset or empty means none (an empty string must not coerce to port 0). */
/** Seconds, fractions allowed (the tests poll in fractions of a second). */
const seconds = (def: number) => z.coerce.number().positive().default(def);
const optionalPort = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional());
const optionalUrl = z.string().url().optional().or(z.literal('').transform(() => undefined));

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  /** ZooKeeper connect string (`host:port[,host:port…]`): find the Redis master through the failover managers instead of REDIS_URL. */
  ZOOKEEPER_CONNECT: z.string().optional().transform((v) => v || undefined),
  MONGO_URL: optionalUrl,
  MONGO_DB: z.string().default('tributary'),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().positive().default(54329),
  REDIS_PREFIX: z.string().default('trib:'),
  /** Longest wait for one Redis reply (queued while reconnecting, or sent to a stopped server) before a request answers 503. */
  REDIS_COMMAND_TIMEOUT_MS: int(3000),
  SHARDS: int(16),
  PERSIST_TIMEOUT_MS: int(5000),
  BATCH_MAX: int(500),
  BODY_LIMIT: z.string().default('256kb'),
  /** The largest file an `event: "file"` post may carry (bytes, after base64 decoding); larger is 413. */
  FILE_MAX_BYTES: int(10 * 1024 * 1024),
  RATE_LIMIT: int(1200),
  RATE_WINDOW_S: int(60),
  /** Failed password logins per account (email) before it is locked for LOGIN_LOCK_S. */
  LOGIN_MAX_FAILURES: int(10),
  /** Failed password logins per client address before it is locked for LOGIN_LOCK_S. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(100),
  /** The failure window, and how long a lock lasts once it is full. */
  LOGIN_LOCK_S: int(300),
  /** scrypt password checks run at once; more wait (at most 64), past that 429. */
  PASSWORD_CONCURRENCY: int(2),
  /** Open streams (WebSocket + HTTP stream) one user may hold on one streaming node. */
  STREAM_MAX_CONNECTIONS_PER_USER: int(20),
  /** Deepest nesting of arrays/objects accepted in a JSON or form body or a WebSocket frame. */
  BODY_MAX_DEPTH: int(32),
  /** Most parameters accepted in a form (urlencoded) body. */
  BODY_MAX_PARAMS: int(1000),
  STREAM_KEEPALIVE_MS: int(25_000),
  STREAM_SEND_BUFFER: int(1024 * 1024),
  /** The IRC gateway's port (docs/irc.md); unset: no IRC. 0 picks a free port. */
  IRC_PORT: optionalPort,
  /** The IRC gateway's TLS port; needs IRC_TLS_CERT and IRC_TLS_KEY (PEM files). */
  IRC_TLS_PORT: optionalPort,
  IRC_TLS_CERT: z.string().optional().transform((v) => v || undefined),
  IRC_TLS_KEY: z.string().optional().transform((v) => v || undefined),
  /** Addresses or CIDR ranges (comma list) integrations may fetch although they are loopback, private or link-local. */
  OUTBOUND_ALLOW: z.string().default(''),
  /** The shortest poll interval of a built-in source (seconds; a source's `interval_s` below it is raised to it). */
  SOURCE_MIN_INTERVAL_S: seconds(60),
  /** How long an integration worker's claim on a source lasts unless renewed: a dead worker's sources are taken over after it. */
  SOURCE_LEASE_S: seconds(30),
  /** The longest wait before a failing source tries again (it backs off exponentially up to this; a longer interval wins). */
  SOURCE_BACKOFF_MAX_S: seconds(3600),
  /** Longest wait for one outbound fetch of an integration (connect to last byte). */
  SOURCE_FETCH_TIMEOUT_MS: int(10_000),
  /** Largest feed body an integration reads; past it the fetch is refused. */
  SOURCE_MAX_FEED_BYTES: int(5 * 1024 * 1024),
  /** How long a source's circuit breaker stays open (fetches refused at once) before it tries again. */
  SOURCE_BREAKER_OPEN_S: seconds(60),
  /** AES-256-GCM key (32 bytes, base64) for secrets in sources' configs; needed only when a source has one. */
  SOURCE_SECRET_KEY: z.string().optional().transform((v) => v || undefined)
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)'),
  /** The port of the SMTP receiver for flows' addresses (docs/integrations.md, "Mail in"); unset: no receiver. 0 picks a free port. */
  SMTP_PORT: optionalPort,
  /** The domain of flows' addresses, `<flow>@<org>.<MAIL_DOMAIN>`; unset: flows have no address (`email` null). */
  MAIL_DOMAIN: z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+$/, 'must be a domain name').optional().or(z.literal('').transform(() => undefined)),
  /** The largest mail accepted (SMTP and IMAP), headers and attachments included; larger is refused (552) or skipped. */
  MAIL_MAX_BYTES: int(25 * 1024 * 1024),
  /** A PEM file of extra certificate authorities that integrations' outbound HTTPS trusts besides Node's (a private CA, a test stand-in). */
  OUTBOUND_CA_FILE: z.string().optional().transform((v) => v || undefined),
  /** Where Twitter sources call the v2 API (Twitter's own, or a server that answers like it). */
  TWITTER_API_URL: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL (the bearer token travels in it)').default('https://api.x.com'),
  /** The SMTP relay that mail out goes through (invitations, mention notifications): `smtp://[user:pass@]host:port` or `smtps://…`; unset: mails are logged, not sent. */
  SMTP_RELAY_URL: z.string().optional().transform((v) => v || undefined)
    .refine((v) => v === undefined || /^smtps?:\/\/[^/]+/.test(v), 'must be an smtp:// or smtps:// URL'),
  /** The From of mail out. */
  MAIL_FROM: z.string().default('Tributary <tributary@localhost>'),
  /** How often the mail sender looks for mail due in the outbox and mentions due a notification (seconds). */
  MAIL_POLL_S: seconds(1),
  /** The first wait before a mail the relay did not take is tried again; doubled each time up to MAIL_RETRY_MAX_S. */
  MAIL_RETRY_MIN_S: seconds(30),
  MAIL_RETRY_MAX_S: seconds(3600),
  /** Attempts before a mail is given up on (state `failed`, logged, counted in tributary_mail_failed_total). */
  MAIL_MAX_ATTEMPTS: int(12),
  /** How long a mentioned user must have been away from the flow (no read marker past it, no activity) before a mention mail. */
  MENTION_QUIET_S: seconds(300),
  PUBLIC_URL: z.string().url().optional(),
  DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment; a bad value stops the start with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseInput(configSchema, env);
}
