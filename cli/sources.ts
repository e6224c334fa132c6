/**
 * `tributary source …` operations: built-in sources of flows (issue 12, point 3), added through the
 * same action as `POST /flows/:org/:flow/sources` (validation per type, secrets sealed with
 * SOURCE_SECRET_KEY), listed with their worker's status, removed. cli/source-commands.ts wires them.
 */
import { createSource } from '../core/actions/create-source';
import type { Source, SourceRunStatus } from '../core/domain/source';
import { AppError, validationError } from '../core/errors';
import { sourceKind } from '../core/integrations/source-kinds';
import { publicConfig, secretKeyFrom } from '../core/integrations/source-secrets';
import { sourceStatusJson } from '../core/integrations/source-status-json';
import type { Directory } from '../core/ports/directory';
import type { CommandResult } from './command';

async function flowAt(directory: Directory, path: string) {
  const [orgName, flowName, extra] = path.split('/');
  const found = orgName && flowName && extra === undefined ? await directory.flowByPath(orgName, flowName) : null;
  if (!found) throw new AppError('NOT_FOUND', `no flow "${path}" (expected ORG/FLOW, e.g. acme/main)`);
  return found;
}

function parseConfig(text: unknown): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(String(text));
  } catch {
    throw validationError({ config: [`must be a JSON object, e.g. '{"url":"https://example.com/feed.xml"}'`] });
  }
}

function sourceJson(source: Source, status: SourceRunStatus | null) {
  return { id: source.id, name: source.name, flow: source.flowId, type: source.type, ...publicConfig(sourceKind(source.type), source.config), status: sourceStatusJson(status) };
}

function statusLine(source: Source, status: SourceRunStatus | null): string {
  const head = `${source.id}\t${source.type ?? 'push'}\t${source.name}`;
  if (source.type === null) return head;
  if (!status) return `${head}\tnot run yet`;
  const error = status.lastError ? `\terror: ${status.lastError}` : '';
  return `${head}\t${status.itemsPosted} posted\tlast run ${status.lastRunAt?.toISOString() ?? '-'}\tnext ${status.nextRunAt?.toISOString() ?? '-'}${error}`;
}

export async function addSource(directory: Directory, path: string, options: Record<string, unknown>, secretKey: string | undefined): Promise<CommandResult> {
  const creator = await directory.userByEmail(String(options.creator));
  if (!creator) throw new AppError('NOT_FOUND', `no user with email ${String(options.creator)}`);
  const raw = { name: options.name, type: options.type, config: parseConfig(options.config) };
  const { source, flowToken } = await createSource({ directory }, creator, { ref: (await flowAt(directory, path)).flow.id }, raw, secretKey ? secretKeyFrom(secretKey) : undefined);
  return {
    json: { ...sourceJson(source, null), flow_token: flowToken },
    text: `created source ${source.id} (${source.type}) "${source.name}" in ${path}; its flow token (shown once): ${flowToken}`,
  };
}

export async function listSources(directory: Directory, path: string | undefined): Promise<CommandResult> {
  const sources = path ? await directory.sources.sourcesOfFlows([(await flowAt(directory, path)).flow.id]) : await directory.sources.builtInSources();
  const rows = await Promise.all(sources.map(async (s) => ({ source: s, status: s.type === null ? null : await directory.sources.runStatus(s.id) })));
  return {
    json: rows.map((r) => sourceJson(r.source, r.status)),
    text: rows.length ? rows.map((r) => statusLine(r.source, r.status)).join('\n') : `no sources${path ? ` in ${path}` : ''}`,
  };
}

async function liveSource(directory: Directory, path: string, id: string): Promise<Source> {
  const { flow } = await flowAt(directory, path);
  const source = /^\d+$/.test(id) ? await directory.sources.sourceOfFlow(flow.id, Number(id)) : null;
  if (!source) throw new AppError('NOT_FOUND', `no source ${id} in ${path}; list them with: tributary source list ${path}`);
  return source;
}

export async function sourceStatus(directory: Directory, path: string, id: string): Promise<CommandResult> {
  const source = await liveSource(directory, path, id);
  const status = await directory.sources.runStatus(source.id);
  return { json: sourceJson(source, status), text: statusLine(source, status) };
}

export async function removeSource(directory: Directory, path: string, id: string): Promise<CommandResult> {
  const source = await liveSource(directory, path, id);
  await directory.sources.deleteSource(source.id);
  return { json: { id: source.id, deleted: true }, text: `removed source ${source.id} "${source.name}" from ${path}; its workers stop within a few seconds` };
}
