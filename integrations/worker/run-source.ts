/**
 * One run of one built-in source, the same for every kind: poll, keep only items this source never
 * handled, apply the first-run rule, post each (oldest first) as the source, record it, and write
 * the status and the next run time (backing off after failures).
 */
import { createHash } from 'node:crypto';
import { type SourceAccess, sourceAccess } from '../../core/access/source-gate';
import { attachFiles } from '../../core/actions/attach-files';
import { postAdmitted } from '../../core/actions/post-as-source';
import { type PostDeps, senderOf } from '../../core/actions/submit-post';
import type { Source } from '../../core/domain/source';
import { flowConversation } from '../../core/domain/types';
import { AppError } from '../../core/errors';
import { sourceKind } from '../../core/integrations/source-kinds';
import { openSecrets } from '../../core/integrations/source-secrets';
import type { SourceRuns } from '../../core/ports/source-runs';
import type { Outbound } from '../outbound/source-outbound';
import { RetryLaterError, type SourceItem, type SourceRunner } from '../source-runner';
import { delayS, effectiveIntervalS, type ScheduleSettings } from './schedule';

/**
 * The first successful run of a new source posts at most this many of the newest items; the rest of
 * the back catalogue is recorded as seen and never posted (docs/integrations.md).
 */
export const FIRST_RUN_ITEMS = 3;

export type RunDeps = PostDeps & { runs: SourceRuns };

export interface RunSettings extends ScheduleSettings {
  /** SOURCE_SECRET_KEY, decoded; absent when the server has none. */
  secretKey?: Buffer;
}

/**
 * The post's uuid for an item: the same for every worker and every run, so that the queue's own
 * uuid deduplication turns a repeat (a worker that died between posting and recording) into a retry.
 */
export function itemUuid(sourceId: number, externalId: string): string {
  return `source-${sourceId}-${createHash('sha256').update(externalId).digest('base64url')}`;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** The items not yet handled, each once (a feed may repeat a guid), newest first. */
async function unseen(runs: SourceRuns, sourceId: number, items: readonly SourceItem[]): Promise<SourceItem[]> {
  const seen = await runs.seen(sourceId, items.map((i) => i.externalId));
  const fresh = new Map<string, SourceItem>();
  for (const item of items) if (!seen.has(item.externalId) && !fresh.has(item.externalId)) fresh.set(item.externalId, item);
  return [...fresh.values()];
}

/** Posts the new items oldest first; returns how many, and why an item was refused (it is skipped for good). */
async function postNew(deps: RunDeps, admitted: SourceAccess, items: readonly SourceItem[], firstRun: boolean): Promise<{ posted: number; refused: string | null }> {
  const id = admitted.source.id;
  let fresh = await unseen(deps.runs, id, items);
  if (firstRun) {
    await deps.runs.markSeen(id, fresh.slice(FIRST_RUN_ITEMS).map((i) => i.externalId));
    fresh = fresh.slice(0, FIRST_RUN_ITEMS);
  }
  let refused: string | null = null;
  let posted = 0;
  for (const item of fresh.reverse()) {
    try {
      const uuid = itemUuid(id, item.uuidKey ?? item.externalId);
      const conversation = flowConversation(admitted.flow.id);
      await postAdmitted(deps, admitted, await attachFiles(deps, conversation, senderOf({ senderId: null, source: admitted.source }, undefined).user, { ...item.post, uuid }, item.files ?? []));
    } catch (err) {
      // An item our API refuses would be refused on every run: note it and move on. Anything else
      // (the queue down) fails the run, and the item is tried again next time.
      if (!(err instanceof AppError) || (err.code !== 'VALIDATION_FAILED' && err.code !== 'PAYLOAD_TOO_LARGE')) throw err;
      refused = `item ${item.externalId} was refused: ${messageOf(err)} ${JSON.stringify(err.fields ?? {})}`;
      await deps.runs.markSeen(id, [item.externalId]);
      continue;
    }
    await deps.runs.recordPosted(id, item.externalId);
    posted++;
  }
  return { posted, refused };
}

/** The source's config with its secrets opened; throws when they cannot be (no key, or another key). */
export function openedConfig(source: Source, settings: RunSettings): Record<string, unknown> {
  return openSecrets(sourceKind(source.type)!, source.config ?? {}, settings.secretKey);
}

/** The later of the schedule's time and the remote's own (a rate limit's reset), which may be absent. */
const later = (scheduled: Date, remote: Date | undefined): Date => (remote && remote > scheduled ? remote : scheduled);

/** What a run did, for the worker's metrics. */
export interface RunSummary {
  ok: boolean;
  posted: number;
}

/** Runs `source` once and records the outcome; never throws for the source's own failures. */
export async function runSource(deps: RunDeps, settings: RunSettings, source: Source, runner: SourceRunner, outbound: Outbound): Promise<RunSummary> {
  const state = await deps.runs.state(source.id);
  let intervalS = settings.minIntervalS;
  try {
    const config = openedConfig(source, settings);
    intervalS = effectiveIntervalS(runner.intervalS(config), settings);
    const admitted = await sourceAccess(deps.directory, source, 'post');
    const polled = await runner.poll({ source, config, cursor: state?.cursor ?? null, outbound });
    const { posted, refused } = await postNew(deps, admitted, polled.items, !state?.lastSuccessAt);
    const problems = [...(polled.problems ?? []), ...(refused ? [refused] : [])];
    const nextRunAt = later(new Date(Date.now() + intervalS * 1000), polled.notBefore);
    await deps.runs.recordRun(source.id, { ok: true, error: problems.length ? messageOf(problems.join('; ')) : null, failures: 0, nextRunAt, cursor: polled.cursor });
    return { ok: true, posted };
  } catch (err) {
    const failures = (state?.failures ?? 0) + 1;
    const backoff = new Date(Date.now() + delayS(intervalS, failures, settings) * 1000);
    const nextRunAt = later(backoff, err instanceof RetryLaterError ? err.until : undefined);
    await deps.runs.recordRun(source.id, { ok: false, error: messageOf(err), failures, nextRunAt });
    return { ok: false, posted: 0 };
  }
}
