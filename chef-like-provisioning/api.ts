/**
 * The provisioning tool's contract: resources (what), providers (how), recipes, cookbooks, roles
 * and the attributes they read. Everything else in chef-like-provisioning/ builds on these types.
 */
import type { z } from 'zod';

/** Node attributes: a JSON tree. Cookbook defaults < role defaults < the node's own attributes. */
export type Attributes = { [key: string]: AttributeValue };
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** When a notified resource's action runs: at once, or once at the end of the run (deduplicated). */
export type NotificationTiming = 'immediately' | 'delayed';

/** `notifies: [{ action: 'restart', resource: 'service[redis-6390]', timing: 'delayed' }]` */
export interface Notification {
  action: string;
  /** `kind[name]`, e.g. `service[redis-6390]`. */
  resource: string;
  timing: NotificationTiming;
}

/** Properties every resource has. */
export interface CommonProperties {
  /** Resources to act on when this one changed something. */
  notifies?: Notification[];
}

/** Shell-free guards: a command (argv) whose exit status decides, as in Chef's only_if / not_if. */
export type Guard = string[];

export interface AptPackageProps extends CommonProperties {
  action?: 'install' | 'remove';
  /** Exact Debian version to pin (`apt-get install name=version`). */
  version?: string;
}

export interface DirectoryProps extends CommonProperties {
  action?: 'create' | 'delete';
  mode?: number;
  owner?: string;
  group?: string;
  /** Create missing parents (default true). */
  recursive?: boolean;
}

/** Whether a file's content may be shown in the report's diff (secret-looking values are masked either way). */
export interface SensitiveContent {
  /** True: the report says the content changed but never shows it (a users file, a key). */
  sensitive?: boolean;
}

export interface FileProps extends CommonProperties, SensitiveContent {
  action?: 'create' | 'delete';
  content: string;
  mode?: number;
  owner?: string;
  group?: string;
}

export interface TemplateProps extends CommonProperties, SensitiveContent {
  action?: 'create' | 'delete';
  /** The file's content as a function of the node's attributes (and optional variables). */
  source: (attributes: Attributes, variables: Record<string, unknown>) => string;
  variables?: Record<string, unknown>;
  mode?: number;
  owner?: string;
  group?: string;
}

export interface UserProps extends CommonProperties {
  action?: 'create' | 'remove';
  home?: string;
  shell?: string;
  system?: boolean;
  /** Primary group (must exist). */
  group?: string;
}

export interface GroupProps extends CommonProperties {
  action?: 'create' | 'remove';
  system?: boolean;
  members?: string[];
}

/** How a service proves it is ready: a TCP port that accepts, or a command that exits 0. */
export type Readiness = { port: number; host?: string } | { command: string[] };

export interface ServiceProps extends CommonProperties {
  /** `start` (and keep running), `stop`, `restart`, `reload`, or `nothing` (only acts when notified). */
  action?: 'start' | 'stop' | 'restart' | 'reload' | 'nothing';
  /** The daemon's argv. */
  command: string[];
  /** Where its pid lives: written by the daemon itself (`daemonizes: true`) or by the provider. */
  pidFile: string;
  /** True when `command` forks into the background and writes `pidFile` itself (redis --daemonize yes). */
  daemonizes?: boolean;
  /** Run as this user (the provider drops privileges with runuser). */
  user?: string;
  cwd?: string;
  env?: Record<string, string>;
  /** stdout/stderr of a non-daemonizing command go here. */
  logFile?: string;
  ready: Readiness;
  /** How long to wait for readiness after a start (default 20 000). */
  readyTimeoutMs?: number;
  /** Signal for `stop` (default SIGTERM) and `reload` (default SIGHUP). */
  stopSignal?: NodeJS.Signals;
  reloadSignal?: NodeJS.Signals;
}

export interface ExecuteProps extends CommonProperties {
  action?: 'run' | 'nothing';
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
  user?: string;
  /** Skip when this path exists. */
  creates?: string;
  /** Run only when this guard exits 0. */
  onlyIf?: Guard;
  /** Skip when this guard exits 0. */
  notIf?: Guard;
  /** Fail when the command runs longer (default 120 000). */
  timeoutMs?: number;
}

/** The resource kinds and their properties; a resource's identity is `kind[name]`. */
export interface ResourceKinds {
  apt_package: AptPackageProps;
  directory: DirectoryProps;
  file: FileProps;
  template: TemplateProps;
  user: UserProps;
  group: GroupProps;
  service: ServiceProps;
  execute: ExecuteProps;
}

export type ResourceKind = keyof ResourceKinds;

/** One declared resource. For directory/file/template the name is the path. */
export interface Resource<K extends ResourceKind = ResourceKind> {
  kind: K;
  name: string;
  props: ResourceKinds[K];
  /** `cookbook::recipe` that declared it, for messages. */
  declaredIn: string;
}

/** What a recipe uses to declare resources; methods return the resource id (`kind[name]`) for notifications. */
export interface RecipeContext {
  /** The merged attributes of this node (read-only). */
  readonly node: Attributes;
  aptPackage(name: string, props?: AptPackageProps): string;
  directory(path: string, props?: DirectoryProps): string;
  file(path: string, props: FileProps): string;
  template(path: string, props: TemplateProps): string;
  user(name: string, props?: UserProps): string;
  group(name: string, props?: GroupProps): string;
  service(name: string, props: ServiceProps): string;
  execute(name: string, props: ExecuteProps): string;
  /** Declares another recipe's resources here (once per run, like Chef's include_recipe). */
  includeRecipe(ref: string): void;
}

export type Recipe = (r: RecipeContext) => void;

export interface Cookbook {
  name: string;
  /** Semantic version; uploads are stored per version. */
  version: string;
  /** Validates (and defaults) this cookbook's part of the attributes: `node[cookbook.name]`. */
  attributes: z.ZodType;
  recipes: Record<string, Recipe>;
}

export interface Role {
  name: string;
  description: string;
  /** `cookbook::recipe` (or `cookbook` for `cookbook::default`), in order. */
  runList: string[];
  defaultAttributes: Attributes;
}

/** One pending change a provider found: what it would do, and how. */
export interface Change {
  description: string;
  apply(): Promise<void>;
  /** The content change as unified diff lines, secrets masked (file and template), shown under the description. */
  diff?: string[];
  /**
   * True when applying it starts the resource's process: a restart or reload notified before
   * that start is then already done, as the process read its configuration as it started.
   */
  starts?: boolean;
}

export interface ProviderContext {
  /** Messages for the run's log (debug detail). */
  log(message: string): void;
  /** The node's merged attributes (a template renders its source with them). */
  readonly node: Attributes;
  /** Runs `action` at most once per run under `key` (apt-get update before the first install). */
  once(key: string, action: () => Promise<void>): Promise<void>;
  /**
   * Runs `wait` while the run tells the user, every second, what the resource is waiting for
   * (`what`: "to answer on 6390"). Absent in a bare context: then just run `wait`.
   */
  waitingFor?<T>(what: string, wait: () => Promise<T>): Promise<T>;
}

/**
 * A provider first tests the machine, then returns the changes needed to bring the resource to
 * the action's state: none when it is up to date. Why-run and idempotence both come from this.
 */
export interface Provider<K extends ResourceKind = ResourceKind> {
  /** Actions this kind accepts (the first is the default). */
  actions: readonly string[];
  /** zod schema of the props (without functions such as a template's source, checked separately). */
  schema: z.ZodType;
  plan(resource: Resource<K>, action: string, context: ProviderContext): Promise<Change[]>;
}
