/**
 * Masks what looks like a secret in one line of a config file, so that a diff in the converge
 * report (printed to a terminal, kept in CI logs) shows *that* a secret changed, never its value.
 * The rules (docs/adr/013-converge-speed-and-report.md):
 * - `KEY = value`, `KEY: value`, `KEY value`, `"KEY": "value"`, `export KEY=value`: the value is
 *   masked when KEY contains pass (password, passwd, requirepass), secret, token, key (api_key,
 *   keyfile), credential, or ends in auth (masterauth). A value that only opens a block (`{`, `[`)
 *   or is empty is kept.
 * - the password of a URL (`scheme://user:password@host`) is masked wherever it appears.
 * What has no key name (a line of a users file) cannot be recognised: mark that resource
 * `sensitive: true`, and its content is not shown at all.
 */

export const MASK = '******';

const SECRET_KEY = /pass|secret|token|key|credential|auth$/i;

/** Optional indent, `export`, quotes; the key; the separator (=, : or spaces); the value. */
const KEY_VALUE = /^(\s*(?:export\s+)?["']?)([A-Za-z0-9_.-]+)(["']?\s*[:=]\s*|\s+)(.*)$/;

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;

/** The line with secret-looking values replaced by MASK. */
export function maskSecrets(line: string): string {
  const urlsMasked = line.replace(URL_PASSWORD, `$1${MASK}$3`);
  const match = KEY_VALUE.exec(urlsMasked);
  if (!match) return urlsMasked;
  const [, lead, key, separator, value] = match as unknown as [string, string, string, string, string];
  if (!SECRET_KEY.test(key) || /^[{[]?\s*$/.test(value)) return urlsMasked;
  // Keep a JSON line's trailing comma, so the masked line still reads as the structure it was.
  const comma = value.trimEnd().endsWith(',') ? ',' : '';
  return `${lead}${key}${separator}${MASK}${comma}`;
}
