/** updateSource: `error_message` and `configuration_url` of a source (spec §2.8), by a member of its flow or by the source's own token. */
import type { SourceAccess } from '../access/source-gate';
import type { Source } from '../domain/source';
import type { User } from '../domain/types';
import { notFound } from '../errors';
import type { FlowAccess } from '../ports/directory';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { positiveId } from './inputs';
import { updateSourceInput } from './source-inputs';

type SourceDeps = Pick<ActionDeps, 'directory'>;

/** The live source `rawId` of `flow`, which the caller may manage (a post, for the gate); 404 otherwise. */
export async function sourceOfFlowFor(deps: SourceDeps, caller: User, flow: FlowRef, rawId: unknown, action: 'read' | 'post'): Promise<{ source: Source; access: FlowAccess }> {
  const access = await flowFor(deps.directory, caller.id, flow, action);
  const source = await deps.directory.sources.sourceOfFlow(access.flow.id, parseInput(positiveId, rawId));
  if (!source) throw notFound('source');
  return { source, access };
}

function changesOf(raw: unknown) {
  const input = parseInput(updateSourceInput, raw);
  return {
    ...(input.error_message !== undefined ? { errorMessage: input.error_message } : {}),
    ...(input.configuration_url !== undefined ? { configurationUrl: input.configuration_url } : {}),
  };
}

/** `PUT /flows/:org/:flow/sources/:id`. */
export async function updateSource(deps: SourceDeps, caller: User, flow: FlowRef, rawId: unknown, raw: unknown): Promise<{ source: Source; access: FlowAccess }> {
  const { source, access } = await sourceOfFlowFor(deps, caller, flow, rawId, 'post');
  return { source: await deps.directory.sources.updateSource(source.id, changesOf(raw)), access };
}

/** `PUT /sources` with the source's `flow_token` (admitted by core/access/source-gate.ts). */
export async function updateSourceByToken(deps: SourceDeps, admitted: SourceAccess, raw: unknown): Promise<Source> {
  return deps.directory.sources.updateSource(admitted.source.id, changesOf(raw));
}
