/**
 * The `tributary` program (commander): help on `--help` and `help COMMAND` (exit 0), a bad call
 * answered with the command's usage (exit 2), and with `--json` nothing but JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { projectRoot } from '../core/project-root';
import { type CliCommand, reportError, wantsJson } from './command';

const HELP_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

export function buildProgram(commands: readonly CliCommand[], json: boolean): Command {
  const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  const program = new Command('tributary')
    .description('Tributary, a Flowdock-compatible team chat backend: run its services and administer it.\nConfiguration is read from environment variables (see the README).')
    .version(version, '-V, --version')
    // Set before the commands are added: subcommands inherit them.
    .exitOverride()
    .showHelpAfterError()
    .helpCommand('help [command]', 'show the help of a command')
    .configureOutput({
      // With --json, usage errors become JSON on stdout and nothing goes to stderr.
      writeErr: (text) => (json ? undefined : process.stderr.write(text)),
      outputError: (text, write) => (json ? process.stdout.write(`${JSON.stringify({ error: text.replace(/^error: /, '').trim() })}\n`) : write(`tributary: ${text.replace(/^error: /, '')}`)),
    })
    // A bad LOG_LEVEL (or any bad variable) names the variable before anything runs. Loaded here,
    // not at the top: `--help` and `provision` should not pay for the config schema and pino.
    .hook('preAction', () => void (require('./cli-config') as typeof import('./cli-config')).cliConfig());
  for (const command of commands) command.register(program);
  return program;
}

/** Parses and runs `argv` (without node and the script); sets process.exitCode. */
export async function runProgram(commands: readonly CliCommand[], argv: readonly string[]): Promise<void> {
  const json = wantsJson(argv);
  const program = buildProgram(commands, json);
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      process.exitCode = 2;
      return;
    }
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) process.exitCode = HELP_EXITS.has(err.code) && err.exitCode === 0 ? 0 : 2;
    else reportError(err, json);
  }
}
