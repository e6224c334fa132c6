/**
 * The one shape of a Tributary service: a descriptor says what the service needs and starts it;
 * `tributary start` composes descriptors from cli/service-registry.ts (docs/adr/009-service-registry.md).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Router } from 'express';
import type { LoginGuard } from './auth/login-guard';
import type { Config } from './config';
import type { Log } from './log';
import type { MessageIngress } from './messaging/message-ingress';
import type { Metrics } from './metrics';
import type { BlobStore } from './ports/blob-store';
import type { Bus } from './ports/bus';
import type { Directory } from './ports/directory';
import type { MailOutbox } from './ports/mail-outbox';
import type { MentionNotices } from './ports/mention-notices';
import type { MessageStore } from './ports/message-store';
import type { IrcResumePoints } from './ports/irc-resume-points';
import type { Presence } from './ports/presence';
import type { RateLimiter } from './ports/rate-limiter';
import type { ShardLeases } from './ports/shard-lease';
import type { SourceRuns } from './ports/source-runs';
import type { WorkQueue } from './ports/work-queue';

/** Everything the composition can hand a service; each is built once per process, and only if a selected service needs it. */
export interface ServiceParts {
  directory: Directory;
  store: MessageStore;
  bus: Bus;
  queue: WorkQueue;
  presence: Presence;
  /** Where IRC clients left off, for a reconnect to any streaming node (the IRC gateway). */
  ircResumePoints: IrcResumePoints;
  rateLimiter: RateLimiter;
  /** Failed-login limits, shared by every service that authenticates. */
  loginGuard: LoginGuard;
  /** Shard ownership with fencing tokens: only queue consumers take leases. */
  leases: ShardLeases;
  /** The edge's half of the write path, one per process (one reply channel for all its edges). */
  ingress: MessageIngress;
  /** Uploaded files' bytes: on disk under DATA_DIR (embedded), in Postgres (DATABASE_URL; docs/adr/016-files.md). */
  blobs: BlobStore;
  /** Built-in sources' leases, bookmarks and posted items: only integration workers use it. */
  sourceRuns: SourceRuns;
  /** Mail waiting to go out (Postgres): integration workers send it. */
  mailOutbox: MailOutbox;
  /** Mentions waiting for a notification mail, and who turned those off (Postgres). */
  mentionNotices: MentionNotices;
}

/** The name of a part a service asks for. */
export type Need = keyof ServiceParts;

/** A readiness probe: resolves when the dependency answers; its error message is shown by /ready. */
export type ReadinessCheck = () => Promise<void>;

/** A dependency /ready reports: its probe, and whether the process is unready while it is down. */
export interface DependencyCheck {
  check: ReadinessCheck;
  /** False for one the process works without for a while (ZooKeeper: the last known Redis master is kept). */
  required: boolean;
}

/** What a service is started with. */
export interface ServiceContext<N extends Need = Need> {
  /** Exactly the parts the descriptor listed in `needs`. */
  parts: Pick<ServiceParts, N>;
  config: Config;
  /** The process's one registry: every service's series come out of one /metrics. */
  metrics: Metrics;
  /** Already tagged with `component: <service name>`. */
  log: Log;
  /** True when this service is the only one in its process; false beside others (`start all`). */
  alone: boolean;
  /** The environment, for a service with settings of its own (the failover manager). */
  env: NodeJS.ProcessEnv;
}

/** A router the shared HTTP server mounts under `path`. */
export interface HttpMount {
  path: string;
  router: Router;
}

/** Connection upgrades (WebSocket) to an exact path. */
export interface UpgradeRoute {
  paths: readonly string[];
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** A started service: what it serves on the shared server, and how it drains. */
export interface RunningService {
  /** Mounted on the shared server after its ops routes and HTTP edge; longer paths match first. */
  routes?: readonly HttpMount[];
  upgrades?: readonly UpgradeRoute[];
  /** Checks `/ready` runs besides the database's. */
  readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Drains: called in reverse start order once the shared server stopped accepting. */
  stop(): Promise<void>;
}

/** A service, as the registry lists it. */
export interface ServiceDescriptor<Name extends string = string, N extends Need = Need> {
  readonly name: Name;
  /** One line for `tributary start --help` and the docs. */
  readonly summary: string;
  /** Runs as part of `tributary start all`. */
  readonly inAll: boolean;
  /** The parts it is handed; the composition builds the union of the selected services' needs once. */
  readonly needs: readonly N[];
  /**
   * `shared`: served by the process's one HTTP server on PORT, with /health, /ready, /metrics and
   * the other services' routes. `own`: the service brings its own server, settings and probes
   * (the failover manager). A service may open further listeners of its own either way (an IRC port).
   */
  readonly http: 'shared' | 'own';
  /**
   * A companion: started with the named service when that one runs alone (the app beside the
   * web-api in full mode), and with `all` if `inAll`; never selected by its own name.
   */
  readonly runsWith?: string;
  /** Builds and starts the service; may await its readiness. A method, so descriptors with narrower needs fit the registry. */
  start(ctx: ServiceContext<N>): Promise<RunningService>;
}

/** Declares a descriptor with its name and needs inferred as literals, so `ctx.parts` holds exactly them. */
export function defineService<const Name extends string, const N extends Need>(descriptor: ServiceDescriptor<Name, N>): ServiceDescriptor<Name, N> {
  return descriptor;
}
