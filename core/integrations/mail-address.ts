/**
 * Flows' mail addresses (Flowdock's flow `email`): `<flow>@<org>.<MAIL_DOMAIN>`, both parts the
 * parameterized names. The web-api shows them; the SMTP receiver reads them back at RCPT time.
 */

/** The address of flow `flow` of organization `org`. */
export function flowAddress(org: string, flow: string, mailDomain: string): string {
  return `${flow}@${org}.${mailDomain}`;
}

/** The flow an address names, or null when it is not a flow address of `mailDomain` (case-insensitive, as mail domains are). */
export function parseFlowAddress(address: string, mailDomain: string): { org: string; flow: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const flow = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  const suffix = `.${mailDomain.toLowerCase()}`;
  if (!domain.endsWith(suffix)) return null;
  const org = domain.slice(0, -suffix.length);
  // Parameterized names: lowercase letters, digits and dashes; an org cannot contain a dot, so a subdomain is no org.
  const name = /^[a-z0-9][a-z0-9-]*$/;
  return name.test(org) && name.test(flow) ? { org, flow } : null;
}
