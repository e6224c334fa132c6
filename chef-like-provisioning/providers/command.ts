/** Running an argv without a shell: captured output, timeouts, dropping to a user, clear failures. */
import { spawn } from 'node:child_process';
import type { Change } from '../api';

/** How to run a command. */
export interface CommandOptions {
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Run as this user (through `runuser -u USER --`). */
  user?: string;
  /** Kill the command (SIGKILL) when it runs longer. */
  timeoutMs?: number;
}

/** What a finished command did. */
export interface CommandResult {
  /** Exit status; null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The argv that runs `argv` as `user` (unchanged without one). */
export function asUser(argv: string[], user?: string): string[] {
  return user ? ['runuser', '-u', user, '--', ...argv] : argv;
}

/** The last `count` non-empty lines of some output, for error messages. */
export function lastLines(text: string, count = 10): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(-count).join('\n');
}

/** Runs a command to completion. Never rejects: a command that cannot start exits 127, like a shell's. */
export function runCommand(argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = asUser(argv, options.user);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(file ?? '', args, {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, stdout, stderr: `${stderr}${err.message}\n`, timedOut });
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    };
    child.on('close', finish);
    // A daemonizing command's background child may keep our pipes open: do not wait for them long.
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, 200);
    });
  });
}

/** True when the command exits 0 (a guard or a readiness command). */
export async function succeeds(argv: string[], options: CommandOptions = {}): Promise<boolean> {
  return (await runCommand(argv, options)).code === 0;
}

/** Why a finished command counts as failed, or null when it succeeded. */
export function failureOf(argv: string[], result: CommandResult, options: CommandOptions = {}): string | null {
  if (result.code === 0) return null;
  const how = result.timedOut
    ? `timed out after ${options.timeoutMs} ms`
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.code}`;
  const tail = lastLines(result.stderr) || lastLines(result.stdout);
  return `\`${argv.join(' ')}\` ${how}${tail ? `:\n${tail}` : ''}`;
}

/** Runs a command and rejects, naming the command, its exit code and its last stderr lines, unless it exits 0. */
export async function runChecked(argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const result = await runCommand(argv, options);
  const failure = failureOf(argv, result, options);
  if (failure) throw new Error(failure);
  return result;
}

/** A change that runs one command and fails as runChecked does; its description is the command itself. */
export function commandChange(argv: string[], options: CommandOptions = {}): Change {
  return { description: argv.join(' '), apply: async () => void (await runChecked(argv, options)) };
}
