/** deleteSource: removes a source of a flow (spec §2.8); its flow token answers 410 from then on. */
import type { User } from '../domain/types';
import type { ActionDeps } from './deps';
import type { FlowRef } from './flow-ref';
import { sourceOfFlowFor } from './update-source';

export async function deleteSource(deps: Pick<ActionDeps, 'directory'>, caller: User, flow: FlowRef, rawId: unknown): Promise<void> {
  const { source } = await sourceOfFlowFor(deps, caller, flow, rawId, 'post');
  await deps.directory.sources.deleteSource(source.id);
}
