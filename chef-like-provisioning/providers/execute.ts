/** execute: a command run when its guards say so (creates / onlyIf / notIf), or only when notified. */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Change, ExecuteProps, Provider } from '../api';
import { type CommandOptions, runChecked, succeeds } from './command';
import { argvSchema, envSchema, notifiesSchema } from './schema';

/** Props of `execute`; the name only identifies it. */
export const executeSchema = z.strictObject({
  action: z.enum(['run', 'nothing']).optional(),
  command: argvSchema,
  cwd: z.string().min(1).optional(),
  env: envSchema,
  user: z.string().min(1).optional(),
  creates: z.string().min(1).optional(),
  onlyIf: argvSchema.optional(),
  notIf: argvSchema.optional(),
  timeoutMs: z.number().int().positive().optional(),
  notifies: notifiesSchema,
});

const DEFAULT_TIMEOUT_MS = 120_000;

/** Why the guards skip the command, or null when it should run. Guards run like the command (cwd, env, user). */
async function skipReason(props: ExecuteProps, options: CommandOptions): Promise<string | null> {
  if (props.creates) {
    const path = isAbsolute(props.creates) || !props.cwd ? props.creates : join(props.cwd, props.creates);
    if (existsSync(path)) return `${path} exists`;
  }
  if (props.onlyIf && !(await succeeds(props.onlyIf, options))) return `onlyIf \`${props.onlyIf.join(' ')}\` failed`;
  if (props.notIf && (await succeeds(props.notIf, options))) return `notIf \`${props.notIf.join(' ')}\` succeeded`;
  return null;
}

/** Runs argv without a shell; a non-zero exit fails with the command, its code and its last stderr lines. */
export const executeProvider: Provider<'execute'> = {
  actions: ['run', 'nothing'],
  schema: executeSchema,
  plan: async (resource, action, context): Promise<Change[]> => {
    if (action === 'nothing') return [];
    const { props } = resource;
    const options: CommandOptions = { cwd: props.cwd, env: props.env, user: props.user, timeoutMs: props.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    const skip = await skipReason(props, options);
    if (skip) {
      context.log(`${resource.kind}[${resource.name}]: skipped, ${skip}`);
      return [];
    }
    const as = props.user ? ` as ${props.user}` : '';
    return [
      {
        description: `run \`${props.command.join(' ')}\`${as}`,
        apply: async () => {
          const result = await runChecked(props.command, options);
          context.log(`${resource.kind}[${resource.name}] output:\n${result.stdout}${result.stderr}`);
        },
      },
    ];
  },
};
