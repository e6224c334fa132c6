/**
 * The `config` of a source of type `irc` (issue 13 point 4): where the bridge connects, which
 * channel it relays, under which nick, and how fast it may talk (IRC servers kill floods). The
 * sources API validates with it (source-kinds.ts); the bridge parses its opened config again.
 */
import { z } from 'zod';

/** RFC 2812 channel names: a prefix, then no space, comma, BEL or colon. */
const CHANNEL_PROBLEM = 'must be an IRC channel such as "#team" (a # and up to 49 characters without spaces, commas, colons or control characters)';
const channelName = z.string().regex(/^[#&+!][^\s,:]{1,49}$/, CHANNEL_PROBLEM).refine((name) => ![...name].some((ch) => ch.charCodeAt(0) < 32), CHANNEL_PROBLEM);
/** RFC 2812 nicks (a letter or special first), with the 30 characters most servers allow. */
const nickName = z.string().regex(/^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/, 'must be an IRC nick: a letter or one of []\\`_^{|} first, then letters, digits or those, at most 30');

export const ircSourceConfig = z.strictObject({
  server: z.string().min(1, 'must name the IRC server (a host name or address)').max(253),
  port: z.number().int().min(1).max(65535).default(6667),
  tls: z.boolean().default(false),
  channel: channelName,
  nick: nickName,
  /** The server password (PASS), when the network wants one. */
  password: z.string().min(1).max(256).optional(),
  /** Outbound flood control: lines sent at once, then one per `interval_ms` (defaults suit ngircd and most networks). */
  flood: z.strictObject({
    burst: z.number().int().min(1).max(20).default(4),
    interval_ms: z.number().int().min(100).max(10_000).default(1000),
  }).default({ burst: 4, interval_ms: 1000 }),
});

export type IrcSourceConfig = z.output<typeof ircSourceConfig>;

/** The source's config, or an error naming each bad field and what it should be. */
export function parseIrcSourceConfig(raw: unknown): IrcSourceConfig {
  const parsed = ircSourceConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `config.${i.path.join('.') || '(root)'} ${i.message}`);
  throw new Error(`invalid irc source config: ${problems.join('; ')} (example: {"server":"irc.example.net","port":6667,"tls":false,"channel":"#team","nick":"tributary"})`);
}
