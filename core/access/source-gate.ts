/**
 * The access gate for flow tokens (spec §1 "Source flow_token"): a token → its source and flow,
 * or the refusal as the API answers it. Every entry point that takes a flow token (POST /messages,
 * GET/PUT /sources, the v1 push API) goes through here.
 */
import { flowTokenMatches, hashFlowToken, looksLikeFlowToken } from '../auth/flow-tokens';
import type { Source } from '../domain/source';
import type { Flow, Organization } from '../domain/types';
import { AppError, notFound, unauthenticated } from '../errors';
import type { Directory } from '../ports/directory';
import { enforce } from './flow-gate';
import { decideForToken, type TokenAction } from './flow-policy';

/** A token's source and the flow it posts into, as the gate admitted them. */
export interface SourceAccess {
  source: Source;
  flow: Flow;
  organization: Organization;
}

/** No user: the flow's facts as somebody without a membership sees them (user ids start at 1). */
export const NO_USER = 0;

export const sourceDeleted = (): AppError => new AppError('GONE', 'The source of this flow_token was deleted; create a new source to get a new token');

/**
 * The source of `token` if it may do `action`; throws 401 for a token that is not one (missing,
 * malformed, unknown), 410 for a deleted source's, and as the flow gate does for its flow: 404 when
 * the flow is gone, 403 when it is archived and the token would post.
 */
export async function requireSourceToken(directory: Directory, token: unknown, action: TokenAction): Promise<SourceAccess> {
  if (!looksLikeFlowToken(token)) throw unauthenticated('Invalid flow_token: use the token shown when the source was created');
  const found = await directory.sources.sourceByTokenHash(hashFlowToken(token));
  if (!found || !flowTokenMatches(token, found.tokenHash)) throw unauthenticated('Invalid flow_token: use the token shown when the source was created');
  return sourceAccess(directory, found.source, action);
}

/**
 * Whether `source` may do `action` in its flow, as for its token: 410 when deleted, 404 when its
 * flow is gone, 403 when the flow is archived and it would post. Built-in sources' workers, which
 * hold no token, ask here too.
 */
export async function sourceAccess(directory: Directory, source: Source, action: TokenAction): Promise<SourceAccess> {
  if (source.deletedAt) throw sourceDeleted();
  const access = source.flowId === null ? null : await directory.flowAccess(NO_USER, { id: source.flowId });
  if (!access) throw notFound('flow');
  enforce(decideForToken(access.flow, action));
  return { source, flow: access.flow, organization: access.organization };
}
