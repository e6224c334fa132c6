/** createSource: any active member of a flow adds a source to it (spec §2.8); the flow token is shown once, here. */
import { z } from 'zod';
import { newFlowToken, hashFlowToken } from '../auth/flow-tokens';
import type { Source } from '../domain/source';
import { validationError } from '../errors';
import { sourceKind } from '../integrations/source-kinds';
import { sealSecrets } from '../integrations/source-secrets';
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

/** How a built-in source's config is stored: checked by its kind (400 naming `config.<field>`), its secrets sealed. */
function storedConfig(type: string | undefined, config: unknown, secretKey: Buffer | undefined): { type: string | null; config: Record<string, unknown> | null } {
  if (type === undefined) {
    if (config !== undefined) throw validationError({ config: ['is only for a built-in source: give its type too'] });
    return { type: null, config: null };
  }
  const kind = sourceKind(type)!;
  const { config: checked } = parseInput(z.object({ config: kind.config }), { config: config ?? {} });
  return { type, config: sealSecrets(kind, checked, secretKey) };
}

/**
 * Creates a source of `flow` from `raw` (`name`, `external_url`, and for a built-in integration
 * `type` and `config`); 404/403 as the gate decides for a post. `secretKey` seals config secrets.
 */
export async function createSource(deps: Pick<ActionDeps, 'directory'>, caller: User, flow: FlowRef, raw: unknown, secretKey?: Buffer): Promise<CreatedSource> {
  const access = await flowFor(deps.directory, caller.id, flow, 'post');
  const input = parseInput(createSourceInput, raw);
  const builtIn = storedConfig(input.type, input.config, secretKey);
  const flowToken = newFlowToken();
  const source = await deps.directory.sources.createSource(
    { flowId: access.flow.id, creatorId: caller.id, name: input.name, externalUrl: input.external_url ?? null, ...builtIn },
    hashFlowToken(flowToken),
  );
  return { source, flowToken, access };
}
