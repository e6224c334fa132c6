/**
 * The write guarantee through a Redis failover: clients post while the master is SIGKILLed (dead)
 * or SIGSTOPped (hung); every acknowledged message is stored once and delivered once, in order,
 * to a WebSocket and an HTTP-stream subscriber connected throughout, and the services follow the
 * new master without a restart.
 */
import { type FailoverRunResult, runFailover } from '../support/failover-run';
import { type FailoverScenario, startFailoverScenario } from '../support/failover-scenario';

jest.setTimeout(90_000);

const CLIENTS = 4;
const PER_CLIENT = 40;

describe.each(['SIGKILL', 'SIGSTOP'] as const)('Redis master %s', (signal) => {
  let scenario: FailoverScenario;
  let result: FailoverRunResult;

  beforeAll(async () => {
    scenario = await startFailoverScenario();
  });

  afterAll(async () => {
    await scenario?.stop(); // SIGCONTs a stopped master before killing it
  });

  it('follows the new master and loses or doubles nothing', async () => {
    result = await runFailover(scenario, { signal, clients: CLIENTS, perClient: PER_CLIENT });
    const { acked, stored } = result;
    process.stdout.write(
      `failover (${signal}, ${scenario.managers.count} failover managers): new master after ${result.toNewMasterMs} ms, writes back after ${result.toWritesMs} ms; ` +
        `${result.ackedAtKill} acknowledged before the kill, ${result.retries} retried attempts, ${result.unanswered.length} unanswered by the deadline\n`,
    );
    // The kill landed mid-stream and was felt.
    expect(result.ackedAtKill).toBeLessThan((CLIENTS * PER_CLIENT) / 2);
    // Writes stalled until the promotion: none sent after the kill succeeded before the new master.
    expect(Number.isFinite(result.toWritesMs)).toBe(true);
    expect(result.toWritesMs).toBeGreaterThanOrEqual(result.toNewMasterMs);

    // Every post ends acknowledged (the unanswered ones by their safe retry with the same uuid).
    expect(acked.size).toBe(CLIENTS * PER_CLIENT);
    // Stored exactly once, under the id it was acknowledged with, ids increasing.
    expect(new Set(stored.map((m) => m.uuid)).size).toBe(stored.length);
    expect(stored).toHaveLength(acked.size);
    const storedByUuid = new Map(stored.map((m) => [m.uuid, m.id]));
    for (const [uuid, id] of acked) expect(storedByUuid.get(uuid)).toBe(id);
    const ids = stored.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Delivered to the subscribers that stayed connected (WebSocket and HTTP stream): all, once, in order.
    for (const reader of result.readers) {
      expect({ transport: reader.transport, ids: reader.ids, dropped: reader.dropped() }).toEqual({ transport: reader.transport, ids, dropped: null });
    }
  });

  it('moved every service to the new master (they still work after it)', async () => {
    const record = await scenario.znode.read();
    expect(record?.master).not.toBe(scenario.servers.nodes[0]!.address);
    const res = await fetch(`http://127.0.0.1:${scenario.webApi.port}/flows/${scenario.flowPath}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scenario.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'message', content: 'after the failover' }),
    });
    expect(res.status).toBe(201);
  });
});
