/** Builders for the directory contract suite: uniquely named organizations, users and flows, and error matchers. */
import { randomBytes } from 'node:crypto';
import type { AccessMode, Flow, Organization, User } from '../domain/types';
import type { ErrorCode } from '../errors';
import type { Directory } from '../ports/directory';

/** A short random suffix: tests share one directory, so every name they create is their own. */
export const unique = (): string => randomBytes(4).toString('hex');

/** A password that every fixture user has. */
export const PASSWORD = 'correct horse battery';

/** A new organization named `<label> <suffix>`. */
export function organization(directory: Directory, label = 'Org'): Promise<Organization> {
  return directory.createOrganization(`${label} ${unique()}`);
}

/** A new user with a unique email and nick (`<label>_<suffix>`), member of `orgs` (as admin for `admin: true`). */
export async function user(directory: Directory, label: string, orgs: Organization[] = [], admin = false): Promise<User> {
  const suffix = unique();
  const created = await directory.createUser({ email: `${label}-${suffix}@example.test`, password: PASSWORD, nick: `${label}_${suffix}` });
  for (const org of orgs) await directory.addOrganizationMember(org.id, created.id, admin);
  return created;
}

/** A new flow of `org`, with `members` added. */
export async function flow(directory: Directory, org: Organization, label: string, accessMode?: AccessMode, members: User[] = []): Promise<Flow> {
  const created = await directory.createFlow(org.id, `${label} ${unique()}`, accessMode);
  for (const m of members) await directory.addFlowMember(created.id, m.id);
  return created;
}

/** What a rejected directory call must carry: the catalogue code and, when given, the field it names. */
export function appError(code: ErrorCode, field?: string): object {
  return { name: 'AppError', code, ...(field ? { fields: { [field]: expect.any(Array) } } : {}) };
}

export const ids = (xs: { id: number }[]): number[] => xs.map((x) => x.id);
