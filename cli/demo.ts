/** First start of the embedded default: a demo organization, flow and user, and how to log in. */
import type { Directory } from '../core/ports/directory';
import type { Pool } from 'pg';

export interface DemoLogin {
  email: string;
  password: string;
  token: string;
  org: string;
  flow: string;
}

export const DEMO_EMAIL = 'demo@tributary.local';
export const DEMO_PASSWORD = 'tributary-demo';

/** Creates the demo data when the database has no organization yet; null when it already had one. */
export async function seedDemo(directory: Directory, pool: Pool): Promise<DemoLogin | null> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM organizations');
  if (Number(rows[0]!.n) > 0) return null;
  const org = await directory.createOrganization('Demo');
  const user = await directory.createUser({ email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo User', nick: 'demo' });
  await directory.addOrganizationMember(org.id, user.id, true);
  const flow = await directory.createFlow(org.id, 'Main', 'organization', user.id);
  const token = await directory.createApiToken(user.id);
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD, token, org: org.parameterizedName, flow: flow.parameterizedName };
}

export function demoBanner(login: DemoLogin, baseUrl: string): string {
  return [
    '',
    'Tributary is ready, with a demo organization, flow and user:',
    `  login:     ${login.email} / ${login.password}`,
    `  API token: ${login.token}`,
    `  try:       curl -u ${login.token}: ${baseUrl}/flows`,
    `  post:      curl -u ${login.token}: -H 'Content-Type: application/json' -d '{"event":"message","content":"Hello"}' ${baseUrl}/flows/${login.org}/${login.flow}/messages`,
    `  stream:    curl -u ${login.token}: '${baseUrl}/stream/flows?filter=${login.org}/${login.flow}'`,
    '',
  ].join('\n');
}
