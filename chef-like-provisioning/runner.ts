/** The converge phase: plan each resource, apply its changes (or only describe them in why-run), fire notifications. */
import type { Attributes, Notification, ProviderContext, Resource } from './api';
import { resourceId } from './dsl';
import { messageOf } from './message-of';
import { DelayedNotifications, satisfiedByStart } from './notifications';
import { providerFor } from './providers';

/** How one resource (or one notified action) went. */
export interface ResourceReport {
  id: string;
  declaredIn: string;
  action: string;
  status: 'up-to-date' | 'changed' | 'would-change' | 'failed' | 'skipped';
  /** What was changed (or, in why-run, "would …"), in order; on failure, what was done before it. */
  changes: string[];
  error?: string;
  /** Set when a notification ran this action: the notifying resource, or "delayed notification". */
  notifiedBy?: string;
  /** Wall time of testing and (unless why-run) changing it, in seconds. */
  seconds: number;
  /** Unified diff lines of the content it changed (or would change), secrets masked. */
  diff?: string[];
  /** Why an action asked for was not needed (a restart already done by this run's start). */
  note?: string;
}

/** A whole run. */
export interface RunReport {
  whyRun: boolean;
  resources: ResourceReport[];
  failed: boolean;
  seconds: number;
}

/** Progress callbacks (the report module draws them). */
export interface RunObserver {
  starting(position: number, total: number, id: string, action: string): void;
  /** Every second while resource `id` waits (`what`: "to answer on 6390"), with the seconds waited so far. */
  waiting?(id: string, what: string, seconds: number): void;
  finished(entry: ResourceReport): void;
}

/** Options of a run. */
export interface RunOptions {
  whyRun: boolean;
  node: Attributes;
  observer?: RunObserver;
  log?: (message: string) => void;
}

const secondsSince = (began: bigint): number => Math.round(Number(process.hrtime.bigint() - began) / 1e6) / 1e3;

/** The entry of a delayed restart (or reload) that this run's start of the resource already did. */
function alreadyDone(resource: Resource, action: string): ResourceReport {
  const note = 'not needed: this run started it after the change that notified it';
  return { id: resourceId(resource), declaredIn: resource.declaredIn, action, status: 'up-to-date', changes: [], notifiedBy: 'delayed notification', seconds: 0, note };
}

function actionOf(resource: Resource, provided?: string): string {
  return provided ?? resource.props.action ?? providerFor(resource.kind)?.actions[0] ?? '';
}

/** Converges compiled resources in order; stops at the first failure, listing the rest as skipped. */
export async function runResources(resources: readonly Resource[], options: RunOptions): Promise<RunReport> {
  const started = process.hrtime.bigint();
  const report: ResourceReport[] = [];
  const byId = new Map(resources.map((resource) => [resourceId(resource), resource]));
  const delayed = new DelayedNotifications();
  const onceRuns = new Map<string, Promise<void>>();
  const context: ProviderContext = {
    node: options.node,
    log: options.log ?? (() => undefined),
    once: (key, action) => {
      if (!onceRuns.has(key)) onceRuns.set(key, action());
      return onceRuns.get(key)!;
    },
  };
  let position = 0;
  // Each converge (a resource, or a notified action) is one step; the step of a resource's start
  // tells a delayed restart whether that start came after the change that notified it.
  let step = 0;
  const startedAt = new Map<string, number>();

  /** The context one resource's provider gets: waits are reported under the resource's id. */
  const contextFor = (id: string): ProviderContext => ({
    ...context,
    waitingFor: async (what, wait) => {
      const since = Date.now();
      const ticker = setInterval(() => options.observer?.waiting?.(id, what, Math.round((Date.now() - since) / 1000)), 1000);
      try {
        return await wait();
      } finally {
        clearInterval(ticker);
      }
    },
  });

  /** Plans and applies one action; the single place where changes happen (or are only described). */
  const converge = async (resource: Resource, requested?: string, notifiedBy?: string): Promise<boolean> => {
    const id = resourceId(resource);
    const action = actionOf(resource, requested);
    const began = process.hrtime.bigint();
    const entry: ResourceReport = { id, declaredIn: resource.declaredIn, action, status: 'up-to-date', changes: [], ...(notifiedBy ? { notifiedBy } : {}), seconds: 0 };
    const at = ++step;
    options.observer?.starting(position, resources.length, id, action);
    try {
      const changes = await providerFor(resource.kind)!.plan(resource, action, contextFor(id));
      if (changes.length > 0) entry.status = options.whyRun ? 'would-change' : 'changed';
      for (const change of changes) {
        if (change.diff?.length) entry.diff = [...(entry.diff ?? []), ...change.diff];
        if (options.whyRun) {
          entry.changes.push(`would ${change.description}`);
        } else {
          await change.apply();
          entry.changes.push(change.description);
        }
        // Why-run too: a start it would make satisfies a later restart exactly as the run's does.
        if (change.starts) startedAt.set(id, at);
      }
    } catch (err) {
      entry.status = 'failed';
      entry.error = `${id} (${resource.declaredIn}) failed: ${messageOf(err)}`;
    }
    entry.seconds = secondsSince(began);
    report.push(entry);
    if (entry.status === 'up-to-date' || entry.status === 'failed') {
      options.observer?.finished(entry);
      return entry.status !== 'failed';
    }
    return notify(resource.props.notifies ?? [], entry, at);
  };

  /** Queues or runs what a changed resource notifies; `at` is the step of that change. */
  const notify = async (notifications: readonly Notification[], entry: ResourceReport, at: number): Promise<boolean> => {
    if (options.whyRun) entry.changes.push(...notifications.map((n) => `would notify ${n.resource} to ${n.action} (${n.timing})`));
    options.observer?.finished(entry);
    // Why-run follows notifications as the run does (planning what they ask, applying nothing), so it
    // counts the restarts the run will do, and fails where they would (ADR 011).
    for (const n of notifications) {
      if (n.timing === 'delayed') delayed.add(n, at);
      // The compiler checked that every target exists.
      else if (!(await converge(byId.get(n.resource)!, n.action, entry.id))) return false;
    }
    return true;
  };

  let ok = true;
  for (const resource of resources) {
    position++;
    if (!ok) report.push({ id: resourceId(resource), declaredIn: resource.declaredIn, action: actionOf(resource), status: 'skipped', changes: [], seconds: 0 });
    else ok = await converge(resource);
  }
  // Like Chef, delayed notifications run only when every resource converged; those they queue in turn
  // run in a further round (bounded, so two resources notifying each other cannot loop forever).
  for (let round = 0; ok && round < 10; round++) {
    const batch = delayed.drain();
    if (batch.length === 0) break;
    for (const n of batch) {
      if (!ok) break;
      const target = byId.get(n.resource)!;
      if (!satisfiedByStart(n, startedAt.get(n.resource))) {
        ok = await converge(target, n.action, 'delayed notification');
        continue;
      }
      const entry = alreadyDone(target, n.action);
      report.push(entry);
      options.observer?.finished(entry);
    }
  }
  const seconds = secondsSince(started);
  return { whyRun: options.whyRun, resources: report, failed: report.some((entry) => entry.status === 'failed'), seconds };
}
