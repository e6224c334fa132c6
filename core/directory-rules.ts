/** Rules every Directory implementation applies alike, worded once: names that make URLs, and the conflicts it reports. */
import { AppError, validationError } from './errors';
import { parameterize } from './names';

/** The parameterized name of an organization or flow; throws VALIDATION_FAILED when nothing usable is left of it. */
export function requireParameterizedName(name: string): string {
  const slug = parameterize(name);
  if (!slug) throw validationError({ name: ['must contain a letter or digit'] });
  return slug;
}

export const organizationTaken = (slug: string): AppError =>
  new AppError('CONFLICT', `organization "${slug}" already exists`, { name: ['is already taken'] });

export const flowTaken = (slug: string): AppError => new AppError('CONFLICT', `flow "${slug}" already exists`, { name: ['is already taken'] });

export const userEmailTaken = (email: string): AppError =>
  new AppError('CONFLICT', `a user with email ${email} already exists`, { email: ['is already taken'] });

export const emailTaken = (): AppError => new AppError('CONFLICT', 'email is already taken', { email: ['is already taken'] });

/** Nicks are unique per organization, case-insensitively, so that `@nick` names one person. */
export const nickTaken = (nick: string, where: string): AppError =>
  new AppError('CONFLICT', `nick "${nick}" is already used ${where}; nicks are unique per organization, whatever the case`, { nick: ['is already taken'] });
