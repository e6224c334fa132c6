/**
 * A Tributary in full mode whose Redis master comes from real failover managers (ZooKeeper, a Redis
 * group of three, in-process managers: failover-manager/testing/harness.ts), plus a site admin:
 * what the failover page and its API are tested against.
 */
import { type Scenario, startScenario, waitForRecord } from '../../failover-manager/testing/harness';
import { type SeededUser, seedUser, startTestStack, type TestStack } from './stack';

export interface FailoverStack {
  scenario: Scenario;
  stack: TestStack;
  /** A user with the site-admin flag (no organization). */
  sre: SeededUser;
  stop(): Promise<void>;
}

/** A user with the site-admin flag, as `tributary user set-admin` makes one. */
export async function seedSiteAdmin(stack: TestStack): Promise<SeededUser> {
  const sre = await seedUser(stack.directory, 'sre');
  await stack.directory.setSiteAdmin(sre.id, true);
  return sre;
}

export async function startFailoverStack(managers: number): Promise<FailoverStack> {
  const scenario = await startScenario(managers);
  try {
    await waitForRecord(scenario.zkSession, 'the first master record', (r) => r.master === scenario.master);
    // The stack finds its Redis master through the managers' record, as a full-mode web-api does.
    const stack = await startTestStack({ env: { ZOOKEEPER_CONNECT: scenario.zk.connectString } });
    const sre = await seedSiteAdmin(stack);
    return {
      scenario, stack, sre,
      async stop() {
        await stack.stop();
        await scenario.stop();
      },
    };
  } catch (err) {
    await scenario.stop();
    throw err;
  }
}
