/** The embedded default's demo organization, flow and user, and the login printed while the demo user keeps its initial password. */
import type { Pool } from 'pg';
import type { Directory } from '../core/ports/directory';

export const DEMO_EMAIL = 'demo@tributary.local';
export const DEMO_PASSWORD = 'tributary-demo';
const DEMO_ORG = 'Demo';
const DEMO_FLOW = 'Main';

export interface DemoLogin {
  email: string;
  password: string;
  org: string;
  flow: string;
}

/**
 * Creates whatever part of the demo data is missing (organization `demo`, user, flow `main`, the
 * memberships), so that a seed cut short is completed by the next one and a second run changes nothing.
 */
export async function ensureDemo(directory: Directory): Promise<void> {
  const org = (await directory.organizationByName('demo')) ?? (await directory.createOrganization(DEMO_ORG));
  const user = (await directory.userByEmail(DEMO_EMAIL)) ?? (await directory.createUser({ email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo User', nick: 'demo' }));
  await directory.addOrganizationMember(org.id, user.id, true);
  const found = await directory.flowByPath(org.parameterizedName, 'main');
  const flow = found?.flow ?? (await directory.createFlow(org.id, DEMO_FLOW, 'organization', user.id));
  await directory.addFlowMember(flow.id, user.id);
}

/** True when the database holds no organization but the demo's: a fresh one, or one whose seeding was cut short. */
export async function onlyDemoData(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM organizations WHERE parameterized_name <> 'demo'");
  return rows[0]!.n === 0;
}

/** The demo login while the demo user still has its initial password; null once it was changed (or never seeded). */
export async function demoLogin(directory: Directory): Promise<DemoLogin | null> {
  if (!(await directory.authenticatePassword(DEMO_EMAIL, DEMO_PASSWORD))) return null;
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD, org: 'demo', flow: 'main' };
}

export function demoBanner(login: DemoLogin, baseUrl: string): string {
  const auth = `${login.email}:${login.password}`;
  const flow = `${login.org}/${login.flow}`;
  return [
    '',
    'Tributary is ready. Demo login (shown until its password is changed):',
    `  open:      ${baseUrl}/app/${flow}   (the app: log in with the email and password below)`,
    `  email:     ${login.email}`,
    `  password:  ${login.password}`,
    `  try:       curl -u ${auth} ${baseUrl}/flows`,
    `  post:      curl -u ${auth} -H 'Content-Type: application/json' -d '{"event":"message","content":"Hello"}' ${baseUrl}/flows/${flow}/messages`,
    `  stream:    curl -u ${auth} '${baseUrl}/stream/flows?filter=${flow}'`,
    `  token:     npx tributary token create ${login.email}   (an API token for bots and Flowdock clients)`,
    '',
  ].join('\n');
}
