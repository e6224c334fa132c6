/**
 * postMessage and the ingress's memory of "may post" answers (ADR 035): an answer is kept only once
 * the write path said it checks the member where it stores the post, a kept answer spares the next
 * post its directory query, and a file upload is always asked for. In-process parts and backend.
 */
import { createMessageBackend, type MessageBackend } from '../../message-backend/create-message-backend';
import { InProcessBus } from '../in-process/in-process-bus';
import { InProcessDirectory } from '../in-process/in-process-directory';
import { InProcessMessageStore } from '../in-process/in-process-message-store';
import { InProcessShardLeases } from '../in-process/in-process-shard-leases';
import { InProcessWorkQueue } from '../in-process/in-process-work-queue';
import { silentLog } from '../log';
import { MessageIngress } from '../messaging/message-ingress';
import { createMetrics } from '../metrics';
import type { User } from '../domain/types';
import { postMessage } from './post-message';

/** The in-process store, claiming to check posters as Postgres does (it cannot: only the claim is under test here). */
class ClaimingStore extends InProcessMessageStore {
  override checksPosters(): boolean {
    return true;
  }
}

async function world(store: InProcessMessageStore) {
  const directory = new InProcessDirectory();
  const queue = new InProcessWorkQueue();
  const bus = new InProcessBus();
  const ingress = new MessageIngress({ queue, bus, shardCount: 2, persistTimeoutMs: 5000 });
  await ingress.start();
  const backend: MessageBackend = createMessageBackend(
    { queue, store, bus, leases: new InProcessShardLeases(), metrics: createMetrics(), log: silentLog() },
    { shardCount: 2, blockMs: 20, leaseRetryMs: 20 },
  );
  backend.start();
  const org = await directory.createOrganization('Memory');
  const flow = await directory.createFlow(org.id, 'Room');
  const user: User = await directory.createUser({ email: 'mem@example.com', name: 'Mem', password: 'correct horse battery' });
  await directory.addOrganizationMember(org.id, user.id, false);
  await directory.addFlowMember(flow.id, user.id);
  const asked = jest.spyOn(directory, 'flowAccess');
  const deps = { directory, store, ingress };
  const post = (raw: Record<string, unknown>) => postMessage(deps, user, { kind: 'flow', flow: { org: org.parameterizedName, flow: flow.parameterizedName } }, raw);
  const stop = async () => {
    await backend.stop();
    await ingress.stop();
  };
  return { ingress, asked, post, stop };
}

it('keeps no answer when the write path does not check members (MongoDB, in-process): every post asks the directory', async () => {
  const { ingress, asked, post, stop } = await world(new InProcessMessageStore());
  try {
    for (const content of ['one', 'two']) expect((await post({ event: 'message', content })).posterChecked).toBeFalsy();
    expect(asked).toHaveBeenCalledTimes(2);
    expect(ingress.postAccess.size).toBe(0);
  } finally {
    await stop();
  }
});

it('keeps the answer once the reply says the store checked the member; the next posts ask nothing, a file upload still does', async () => {
  const { ingress, asked, post, stop } = await world(new ClaimingStore());
  try {
    expect((await post({ event: 'message', content: 'one' })).posterChecked).toBe(true);
    expect(ingress.postAccess.size).toBe(1);
    await post({ event: 'message', content: 'two' });
    await post({ event: 'message', content: 'three' });
    expect(asked).toHaveBeenCalledTimes(1);
    // An upload would write its file before the store's check: only the gate admits it (it fails later here, with no file store).
    await expect(post({ event: 'file', content: { data: 'aGk=', content_type: 'text/plain', file_name: 'a.txt' } })).rejects.toThrow();
    expect(asked).toHaveBeenCalledTimes(2);
  } finally {
    await stop();
  }
});
