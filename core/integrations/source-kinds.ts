/**
 * The built-in integrations a source can be (`type`), each a small module: its config schema and
 * which config fields are secrets (encrypted at rest, never returned: source-secrets.ts). The
 * REST API and the CLI validate with these; the workers that run each kind are registered apart
 * (integrations/source-runners.ts), so the web-api never loads a feed parser.
 */
import type { z } from 'zod';
import { imapConfig } from './imap-config';
import { ircSourceConfig } from './irc-config';
import { rssConfig } from './rss-config';
import type { SourceType } from './source-types';
import { twitterConfig } from './twitter-config';

export interface SourceKind {
  type: string;
  /** The `config` object; a bad field is a 400 naming `config.<field>`. */
  config: z.ZodType<Record<string, unknown>>;
  /** Fields of `config` that hold passwords or keys. */
  secrets: readonly string[];
}

/** One entry per name in SOURCE_TYPES (the type makes a missing one a compile error). */
export const SOURCE_KINDS: Readonly<Record<SourceType, SourceKind>> = {
  rss: { type: 'rss', config: rssConfig, secrets: [] },
  irc: { type: 'irc', config: ircSourceConfig, secrets: ['password'] },
  imap: { type: 'imap', config: imapConfig, secrets: ['password'] },
  twitter: { type: 'twitter', config: twitterConfig, secrets: ['bearer_token'] },
};

/** The kind of `type`; null for an unknown one (a push source has none). */
export function sourceKind(type: string | null): SourceKind | null {
  return type !== null && Object.hasOwn(SOURCE_KINDS, type) ? SOURCE_KINDS[type as SourceType] : null;
}
