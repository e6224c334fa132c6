/** The converge phase: plan each resource, apply its changes (or only describe them in why-run), fire notifications. */
import type { Attributes, Notification, ProviderContext, Resource } from './api';
import { resourceId } from './dsl';
import { messageOf } from './message-of';
import { DelayedNotifications } from './notifications';
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
  finished(entry: ResourceReport): void;
}

/** Options of a run. */
export interface RunOptions {
  whyRun: boolean;
  node: Attributes;
  observer?: RunObserver;
  log?: (message: string) => void;
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

  /** Plans and applies one action; the single place where changes happen (or are only described). */
  const converge = async (resource: Resource, requested?: string, notifiedBy?: string): Promise<boolean> => {
    const id = resourceId(resource);
    const action = actionOf(resource, requested);
    const entry: ResourceReport = { id, declaredIn: resource.declaredIn, action, status: 'up-to-date', changes: [], ...(notifiedBy ? { notifiedBy } : {}) };
    options.observer?.starting(position, resources.length, id, action);
    try {
      const changes = await providerFor(resource.kind)!.plan(resource, action, context);
      if (changes.length > 0) entry.status = options.whyRun ? 'would-change' : 'changed';
      for (const change of changes) {
        if (options.whyRun) {
          entry.changes.push(`would ${change.description}`);
        } else {
          await change.apply();
          entry.changes.push(change.description);
        }
      }
    } catch (err) {
      entry.status = 'failed';
      entry.error = `${id} (${resource.declaredIn}) failed: ${messageOf(err)}`;
    }
    report.push(entry);
    if (entry.status === 'up-to-date' || entry.status === 'failed') {
      options.observer?.finished(entry);
      return entry.status !== 'failed';
    }
    return notify(resource.props.notifies ?? [], entry);
  };

  const notify = async (notifications: readonly Notification[], entry: ResourceReport): Promise<boolean> => {
    if (options.whyRun) entry.changes.push(...notifications.map((n) => `would notify ${n.resource} to ${n.action} (${n.timing})`));
    options.observer?.finished(entry);
    // Why-run follows notifications as the run does (planning what they ask, applying nothing), so it
    // counts the restarts the run will do, and fails where they would (ADR 011).
    for (const n of notifications) {
      if (n.timing === 'delayed') delayed.add(n);
      // The compiler checked that every target exists.
      else if (!(await converge(byId.get(n.resource)!, n.action, entry.id))) return false;
    }
    return true;
  };

  let ok = true;
  for (const resource of resources) {
    position++;
    if (!ok) report.push({ id: resourceId(resource), declaredIn: resource.declaredIn, action: actionOf(resource), status: 'skipped', changes: [] });
    else ok = await converge(resource);
  }
  // Like Chef, delayed notifications run only when every resource converged; those they queue in turn
  // run in a further round (bounded, so two resources notifying each other cannot loop forever).
  for (let round = 0; ok && round < 10; round++) {
    const batch = delayed.drain();
    if (batch.length === 0) break;
    for (const n of batch) if (ok) ok = await converge(byId.get(n.resource)!, n.action, 'delayed notification');
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { whyRun: options.whyRun, resources: report, failed: report.some((entry) => entry.status === 'failed'), seconds };
}
