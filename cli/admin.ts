/** Admin commands a script can use: organizations, users, flows, memberships and API tokens. */
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Directory } from '../core/ports/directory';
import { parseInput } from '../core/validation';

export interface AdminResult {
  /** What `--json` prints. */
  json: unknown;
  /** What a person reads. */
  text: string;
}

const email = z.string().email('must be an email address');
const userOptions = z.object({
  email,
  password: z.string().min(8, 'must be at least 8 characters'),
  name: z.string().min(1).max(200).optional(),
  nick: z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, _ and - only, at most 32').optional(),
});

async function orgByName(directory: Directory, name: string) {
  const org = await directory.organizationByName(name);
  if (!org) throw new AppError('NOT_FOUND', `no organization "${name}"`);
  return org;
}

async function userByEmail(directory: Directory, address: string) {
  const user = await directory.userByEmail(parseInput(email, address));
  if (!user) throw new AppError('NOT_FOUND', `no user with email ${address}`);
  return user;
}

function needArgs(args: string[], count: number, usage: string): string[] {
  if (args.length !== count || args.some((a) => !a)) throw new AppError('VALIDATION_FAILED', `usage: tributary ${usage}`);
  return args;
}

export const ADMIN_USAGE = [
  'org create NAME',
  'org add-user ORG EMAIL [--admin]',
  'user create --email E --password P [--name N] [--nick K]',
  'flow create ORG NAME [--access-mode invitation|link|organization]',
  'flow add-user ORG/FLOW EMAIL',
  'token create EMAIL',
];

export async function runAdmin(directory: Directory, noun: string, verb: string, args: string[], flags: Record<string, string | boolean | undefined>): Promise<AdminResult> {
  const command = `${noun} ${verb}`;
  switch (command) {
    case 'org create': {
      const [name] = needArgs(args, 1, 'org create NAME');
      const org = await directory.createOrganization(name!);
      return { json: { id: org.id, name: org.name, parameterized_name: org.parameterizedName }, text: `created organization ${org.parameterizedName} (id ${org.id})` };
    }
    case 'org add-user': {
      const [orgName, address] = needArgs(args, 2, 'org add-user ORG EMAIL [--admin]');
      const org = await orgByName(directory, orgName!);
      const user = await userByEmail(directory, address!);
      await directory.addOrganizationMember(org.id, user.id, flags.admin === true);
      return { json: { organization: org.parameterizedName, user: user.id, admin: flags.admin === true }, text: `added ${user.email} to ${org.parameterizedName}${flags.admin ? ' as admin' : ''}` };
    }
    case 'user create': {
      needArgs(args, 0, 'user create --email E --password P [--name N] [--nick K]');
      const input = parseInput(userOptions, { email: flags.email, password: flags.password, name: flags.name, nick: flags.nick });
      const user = await directory.createUser(input);
      return { json: { id: user.id, email: user.email, name: user.name, nick: user.nick }, text: `created user ${user.email} (id ${user.id}, nick ${user.nick})` };
    }
    case 'flow create': {
      const [orgName, name] = needArgs(args, 2, 'flow create ORG NAME');
      const given = flags['access-mode'];
      const mode = given === undefined ? undefined : parseInput(z.enum(['invitation', 'link', 'organization']), given);
      const org = await orgByName(directory, orgName!);
      const flow = await directory.createFlow(org.id, name!, mode);
      return { json: { id: flow.id, name: flow.name, parameterized_name: flow.parameterizedName, organization: org.parameterizedName }, text: `created flow ${org.parameterizedName}/${flow.parameterizedName} (id ${flow.id})` };
    }
    case 'flow add-user': {
      const [path, address] = needArgs(args, 2, 'flow add-user ORG/FLOW EMAIL');
      const [orgName, flowName] = path!.split('/');
      const found = orgName && flowName ? await directory.flowByPath(orgName, flowName) : null;
      if (!found) throw new AppError('NOT_FOUND', `no flow "${path}" (expected ORG/FLOW)`);
      const user = await userByEmail(directory, address!);
      const orgs = await directory.organizationsOf(user.id);
      if (!orgs.some((o) => o.id === found.organization.id)) throw new AppError('VALIDATION_FAILED', `${user.email} is not a member of ${orgName}; run: tributary org add-user ${orgName} ${user.email}`);
      await directory.addFlowMember(found.flow.id, user.id);
      return { json: { flow: found.flow.id, user: user.id }, text: `added ${user.email} to ${path}` };
    }
    case 'token create': {
      const [address] = needArgs(args, 1, 'token create EMAIL');
      const user = await userByEmail(directory, address!);
      const token = await directory.createApiToken(user.id);
      return { json: { token, user: user.id }, text: token };
    }
    default:
      throw new AppError('VALIDATION_FAILED', `unknown command "${command.trim()}"; commands:\n  ${ADMIN_USAGE.join('\n  ')}`);
  }
}
