/** createSource: any active member of a flow adds a source to it (spec §2.8); the flow token is shown once, here. */
import { newFlowToken, hashFlowToken } from '../auth/flow-tokens';
import type { Source } from '../domain/source';
import type { User } from '../domain/types';
import type { FlowAccess } from '../ports/directory';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { createSourceInput } from './source-inputs';

export interface CreatedSource {
  source: Source;
  /** The only time the token exists outside its owner: the store keeps its hash. */
  flowToken: string;
  access: FlowAccess;
}

/** Creates a source of `flow` from `raw` (`name`, `external_url`); 404/403 as the gate decides for a post. */
export async function createSource(deps: Pick<ActionDeps, 'directory'>, caller: User, flow: FlowRef, raw: unknown): Promise<CreatedSource> {
  const access = await flowFor(deps.directory, caller.id, flow, 'post');
  const input = parseInput(createSourceInput, raw);
  const flowToken = newFlowToken();
  const source = await deps.directory.sources.createSource(
    { flowId: access.flow.id, creatorId: caller.id, name: input.name, externalUrl: input.external_url ?? null },
    hashFlowToken(flowToken),
  );
  return { source, flowToken, access };
}
