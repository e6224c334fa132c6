/** The `tributary` command: every command module listed once; cli/program.ts parses and runs them. */
import { ADMIN_COMMANDS } from './admin-commands';
import type { CliCommand } from './command';
import { runProgram } from './program';
import { QUEUE_COMMAND } from './queue';
import { REDIS_COMMAND } from './redis-commands';
import { SERVICE_COMMANDS } from './service-commands';
import { SOURCE_COMMAND } from './source-commands';

/** Every command; a new module adds its CliCommand here. */
export const COMMANDS: readonly CliCommand[] = [...SERVICE_COMMANDS, ...ADMIN_COMMANDS, SOURCE_COMMAND, QUEUE_COMMAND, REDIS_COMMAND];

export function main(argv: string[]): Promise<void> {
  return runProgram(COMMANDS, argv);
}

if (require.main === module) void main(process.argv.slice(2));
