/** Admin operations a script can use: organizations, users, flows, memberships and API tokens (cli/admin-commands.ts wires them to the command line). */
import { z } from 'zod';
import { decideJoin } from '../core/access/flow-policy';
import { enforce } from '../core/access/flow-gate';
import { nick } from '../core/actions/inputs';
import type { AccessMode } from '../core/domain/types';
import { AppError } from '../core/errors';
import type { Directory } from '../core/ports/directory';
import { parseInput } from '../core/validation';
import type { CommandResult } from './command';
import { PASSWORD_RULE } from './password-rule';

/** The password rule the README states: 8 to 1024 characters, anything allowed. */
export { PASSWORD_RULE };

const email = z.string().email('must be an email address');
const userOptions = z.object({
  email,
  password: z.string().min(8, `must be ${PASSWORD_RULE}`).max(1024, `must be ${PASSWORD_RULE}`),
  name: z.string().min(1).max(200).optional(),
  nick: nick.optional(),
});

async function orgByName(directory: Directory, name: string) {
  const org = await directory.organizationByName(name);
  if (!org) throw new AppError('NOT_FOUND', `no organization "${name}"`);
  return org;
}

/** `argument` names the command-line argument in the validation message. */
async function userByEmail(directory: Directory, address: string, argument = 'EMAIL') {
  const user = await directory.userByEmail(parseInput(z.object({ [argument]: email }), { [argument]: address })[argument]!);
  if (!user) throw new AppError('NOT_FOUND', `no user with email ${address}`);
  return user;
}

export async function createOrganization(directory: Directory, name: string): Promise<CommandResult> {
  const org = await directory.createOrganization(name);
  return { json: { id: org.id, name: org.name, parameterized_name: org.parameterizedName }, text: `created organization ${org.parameterizedName} (id ${org.id})` };
}

export async function addOrganizationUser(directory: Directory, orgName: string, address: string, admin: boolean): Promise<CommandResult> {
  const org = await orgByName(directory, orgName);
  const user = await userByEmail(directory, address);
  await directory.addOrganizationMember(org.id, user.id, admin);
  return { json: { organization: org.parameterizedName, user: user.id, admin }, text: `added ${user.email} to ${org.parameterizedName}${admin ? ' as admin' : ''}` };
}

export async function createUser(directory: Directory, options: Record<string, unknown>): Promise<CommandResult> {
  const input = parseInput(userOptions, { email: options.email, password: options.password, name: options.name, nick: options.nick });
  const user = await directory.createUser(input);
  return { json: { id: user.id, email: user.email, name: user.name, nick: user.nick }, text: `created user ${user.email} (id ${user.id}, nick ${user.nick})` };
}

const passwordOption = z.object({ password: userOptions.shape.password });

/**
 * Replaces a user's password (the demo login, for one, stops being printed once it changed), signs
 * out every app session of the user, then `announce`s the change so that every process forgets the
 * logins it cached with the old password (core/access/revocation.ts).
 */
export async function setUserPassword(directory: Directory, address: string, options: Record<string, unknown>, announce: (userId: number) => Promise<void>): Promise<CommandResult> {
  const user = await userByEmail(directory, address);
  const { password } = parseInput(passwordOption, { password: options.password });
  await directory.setPassword(user.id, password);
  // Whoever knew the old password may hold a session opened with it: a new password ends them all.
  const revoked = await directory.sessions.revokeUserSessions(user.id);
  await announce(user.id);
  return {
    json: { id: user.id, email: user.email, password: 'changed', sessions_revoked: revoked },
    text: `changed the password of ${user.email}; signed out ${revoked} app session${revoked === 1 ? '' : 's'}`,
  };
}

/** Grants (or with `admin` false withdraws) site administration: the failover page (docs/adr/017-markdown-and-site-admins.md). */
export async function setSiteAdmin(directory: Directory, address: string, admin: boolean): Promise<CommandResult> {
  const user = await userByEmail(directory, address);
  const was = await directory.isSiteAdmin(user.id);
  await directory.setSiteAdmin(user.id, admin);
  const change = was === admin ? `was already ${admin ? 'a' : 'not a'} site admin` : admin ? 'is a site admin now' : 'is no longer a site admin';
  return { json: { id: user.id, email: user.email, site_admin: admin, changed: was !== admin }, text: `${user.email} ${change}` };
}

export async function createFlow(directory: Directory, orgName: string, name: string, mode: AccessMode | undefined): Promise<CommandResult> {
  const org = await orgByName(directory, orgName);
  const flow = await directory.createFlow(org.id, name, mode);
  return { json: { id: flow.id, name: flow.name, parameterized_name: flow.parameterizedName, organization: org.parameterizedName }, text: `created flow ${org.parameterizedName}/${flow.parameterizedName} (id ${flow.id})` };
}

export async function addFlowUser(directory: Directory, path: string, address: string): Promise<CommandResult> {
  const [orgName, flowName] = path.split('/');
  const found = orgName && flowName ? await directory.flowByPath(orgName, flowName) : null;
  if (!found) throw new AppError('NOT_FOUND', `no flow "${path}" (expected ORG/FLOW)`);
  const user = await userByEmail(directory, address);
  const orgs = await directory.organizationsOf(user.id);
  if (!orgs.some((o) => o.id === found.organization.id)) throw new AppError('VALIDATION_FAILED', `${user.email} is not a member of ${orgName}; run: tributary org add-user ${orgName} ${user.email}`);
  // The operator's tool follows the same rule as every other way in: an archived flow takes nobody new.
  enforce(decideJoin(found.flow, null));
  await directory.addFlowMember(found.flow.id, user.id);
  return { json: { flow: found.flow.id, user: user.id }, text: `added ${user.email} to ${path}` };
}

export async function createToken(directory: Directory, address: string): Promise<CommandResult> {
  const user = await userByEmail(directory, address);
  const token = await directory.createApiToken(user.id);
  return { json: { token, user: user.id }, text: token };
}
