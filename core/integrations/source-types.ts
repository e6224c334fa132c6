/**
 * The names of the built-in integrations a source can be (`type`). Apart from their schemas
 * (source-kinds.ts) so that `tributary --help` can list them without loading zod.
 */
export const SOURCE_TYPES = ['rss', 'irc', 'imap', 'twitter'] as const;

export type SourceType = (typeof SOURCE_TYPES)[number];
