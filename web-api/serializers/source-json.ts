/** The source JSON of spec §2.8; `flow_token` only in the create response (the caller adds it). */
import type { Source } from '../../core/domain/source';
import { sourceKind } from '../../core/integrations/source-kinds';
import { publicConfig } from '../../core/integrations/source-secrets';
import type { Organization, User } from '../../core/domain/types';
import type { Directory } from '../../core/ports/directory';
import { type UrlBase, userJson } from './json';

/** Where a source lives, for its `url`. */
export interface SourcePlace {
  flow: { id: string; parameterizedName: string };
  organization: Pick<Organization, 'parameterizedName'>;
}

/** `type` and `config` (Tributary's extension) only for a built-in source; its secrets are never shown. */
function builtInJson(source: Source) {
  if (source.type === null) return {};
  return { type: source.type, ...publicConfig(sourceKind(source.type), source.config) };
}

export function sourceJson(source: Source, place: SourcePlace, creator: User | null, base: UrlBase) {
  return {
    ...builtInJson(source),
    id: source.id,
    name: source.name,
    url: `${base.api}/flows/${place.organization.parameterizedName}/${place.flow.parameterizedName}/sources/${source.id}`,
    ...(source.externalUrl ? { external_url: source.externalUrl } : {}),
    error_message: source.errorMessage,
    configuration_url: source.configurationUrl,
    flow: place.flow.id,
    created_at: source.createdAt.toISOString(),
    updated_at: source.updatedAt.toISOString(),
    _links: {},
    // No OAuth applications here (docs/api.md, "Sources"): a source is made by a member, not by an app.
    application: null,
    creator: creator ? userJson(creator) : null,
  };
}

/** The JSON of several sources, each creator looked up once. */
export async function sourcesJson(directory: Directory, sources: Source[], placeOf: (s: Source) => SourcePlace, base: UrlBase) {
  const creatorIds = [...new Set(sources.map((s) => s.creatorId).filter((id): id is number => id !== null))];
  const creators = new Map((await Promise.all(creatorIds.map((id) => directory.userById(id)))).filter((u): u is User => !!u).map((u) => [u.id, u]));
  return sources.map((s) => sourceJson(s, placeOf(s), s.creatorId === null ? null : (creators.get(s.creatorId) ?? null), base));
}
