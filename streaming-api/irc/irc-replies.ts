/** Numeric and error replies: what an IRC client is told when a command fails (RFC 2812 numerics, IRCv3 FAIL). */
import { AppError } from '../../core/errors';
import { formatLine } from './irc-line';

/** Writes one reply line to the client (ordered with its events once logged in). */
export type Reply = (line: string) => void;

/** A numeric reply `:server NNN <nick> params…`. */
export function numeric(server: string, nick: string, code: string, ...params: string[]): string {
  return formatLine(server, code, [nick || '*', ...params]);
}

/** IRCv3 standard reply `FAIL <command> <code> [context] :<description>`. */
export function fail(server: string, command: string, code: string, description: string, context: string[] = []): string {
  return formatLine(server, 'FAIL', [command, code, ...context, description]);
}

/**
 * What a failed core action looks like on IRC: a flow or user that cannot be seen is the RFC's
 * "no such channel/nick", a refusal "cannot send", anything else (validation, rate limit, an
 * unavailable backend) an IRCv3 FAIL with the API's error code and message, which names the cause.
 */
export function actionFailure(server: string, nick: string, command: string, target: string, error: unknown): string {
  if (!(error instanceof AppError)) return fail(server, command, 'INTERNAL_ERROR', 'The server failed; try again', [target]);
  if (error.code === 'NOT_FOUND') {
    return target.startsWith('#') ? numeric(server, nick, '403', target, 'No such channel (no flow of that name that you may see)') : numeric(server, nick, '401', target, 'No such nick');
  }
  if (error.code === 'FORBIDDEN') return numeric(server, nick, command === 'JOIN' ? '473' : '404', target, error.message);
  const fields = error.fields ? ` (${Object.entries(error.fields).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')})` : '';
  return fail(server, command, error.code, `${error.message}${fields}`, [target]);
}
