/**
 * How a command module plugs into `tributary`: it exports a CliCommand that adds itself to the
 * program (commander), and wraps its actions in `action()` for one way of printing results and
 * errors: `--json` puts only JSON on stdout (errors too); a person reads one line on stderr.
 */
import type { Command } from 'commander';
import { AppError } from '../core/errors';
import { CliFailure } from './cli-failure';

/** What each command module exports; cli/main.ts lists them. */
export interface CliCommand {
  /** Adds the command (and its subcommands) to the program. */
  register(program: Command): void;
}

/** What an action returns: `json` for `--json`, `text` for a person. */
export interface CommandResult {
  json: unknown;
  text: string;
}

/** True when the command line asks for JSON output, which then covers usage errors too. */
export const wantsJson = (argv: readonly string[]): boolean => argv.includes('--json');

/** The option a validation field came from (`password` → `--password`), else the field itself. */
function fieldLabel(command: Command, field: string): string {
  return command.options.find((o) => o.attributeName() === field)?.long ?? field;
}

/** One line (or one per field) naming what was wrong: the option or argument, then the rule. */
export function describeError(err: unknown, command?: Command): string {
  if (err instanceof AppError && err.fields) {
    return Object.entries(err.fields)
      .map(([field, messages]) => `${command ? fieldLabel(command, field) : field}: ${messages.join(', ')}`)
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Exit code for an action's error: 2 for a bad call (usage, validation: fix the command line),
 * the failure's own, else 1 (the call was fine but it did not work: not found, conflict, a server
 * down), as git and npm do.
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliFailure) return err.code;
  return err instanceof AppError && err.code === 'VALIDATION_FAILED' ? 2 : 1;
}

/** Prints an error the way the command line asked for, and sets the exit code. */
export function reportError(err: unknown, json: boolean, command?: Command): void {
  const message = describeError(err, command);
  const code = exitCodeOf(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  else {
    process.stderr.write(`tributary: ${message}\n`);
    // A bad call shows how the command is called, as commander does for its own errors.
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && command) process.stderr.write(`\n${command.helpInformation()}`);
  }
  process.exitCode = code;
}

/**
 * Wraps an action: runs it with the command's options, prints its result (text or, with
 * `--json`, JSON), and turns an error into one line and an exit code (2 for bad input).
 */
export function action<A extends unknown[]>(run: (options: Record<string, unknown>, ...args: A) => Promise<CommandResult | undefined>) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const options = command.opts();
    const json = options.json === true;
    try {
      const result = await run(options, ...(params.slice(0, -2) as A));
      if (result) process.stdout.write(`${json ? JSON.stringify(result.json) : result.text}\n`);
    } catch (err) {
      reportError(err, json, command);
    }
  };
}

/**
 * A command that parses its own arguments (`provision`, and any module written that way): every
 * word after its name goes to `run` untouched, and its help is its own.
 */
export function passThrough(name: string, description: string, run: (args: string[]) => Promise<void>): CliCommand {
  return {
    register(program) {
      program
        .command(name)
        .description(description)
        .argument('[args...]')
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(async (args: string[]) => run(args));
    },
  };
}
