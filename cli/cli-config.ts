/** The configuration and log of a `tributary` command: a bad variable stops it with one line naming the variable. */
import { type Config, loadConfig } from '../core/config';
import { AppError } from '../core/errors';
import type { Log } from '../core/log';
import { CliFailure } from './cli-failure';

/** loadConfig(), with a bad variable reported as `VARIABLE: what is wrong` (exit 2). */
export function cliConfig(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof AppError) || !err.fields) throw err;
    const problems = Object.entries(err.fields).map(([name, messages]) => `${name}=${JSON.stringify(env[name] ?? '')} is not valid (${messages.join(', ')})`);
    throw new CliFailure(`${problems.join('; ')}; fix or unset it`, 2);
  }
}

/** A command's log: on stderr, so that stdout holds only its result; `warn` unless LOG_LEVEL says otherwise. */
export function cliLog(service: string, config: Config): Log {
  // pino is loaded only by the commands that log: the preAction hook's config check must not pay for it.
  const { createLog } = require('../core/log') as typeof import('../core/log');
  return createLog(service, process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', 'stderr');
}
