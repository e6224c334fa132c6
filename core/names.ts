/** Parameterized names (URL slugs) for organizations and flows, as Flowdock makes them. */

export function parameterize(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A nick from a display name or email: letters, digits, `_` and `-`, at most 32. */
export function nickFrom(nameOrEmail: string): string {
  const base = nameOrEmail.split('@')[0] ?? nameOrEmail;
  return base.replace(/[^A-Za-z0-9_-]+/g, '').slice(0, 32) || 'user';
}
