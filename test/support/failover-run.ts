/** Posts messages from several careful clients while the Redis master is taken away once, then collects what was stored and delivered. */
import { randomUUID } from 'node:crypto';
import { CarefulWriter } from './careful-writer';
import { faultMaster, type FaultSignal } from './failover-faults';
import type { FailoverScenario } from './failover-scenario';
import { type FlowReader, openReaders } from './flow-readers';
import { listStored, type StoredMessage } from './flow-ledger';

export interface FailoverRunOptions {
  /** SIGKILL (dead master) or SIGSTOP (hung master). */
  signal: FaultSignal;
  clients?: number;
  perClient?: number;
  /** The master is taken away once this many posts were acknowledged. */
  killAfterAcked?: number;
  /** Clients give up retrying a post after this long (from the start of the run). */
  deadlineMs?: number;
}

export interface FailoverRunResult {
  /** uuid → id of every post answered 201. */
  acked: Map<string, number>;
  /** Posts never answered 201 before the deadline (their uuids). */
  unanswered: string[];
  /** Attempts answered otherwise (503, network error). */
  retries: number;
  ackedAtKill: number;
  /** Kill → a record with a higher epoch in the znode. */
  toNewMasterMs: number;
  /** Kill → the first 201 for a request sent after the kill. */
  toWritesMs: number;
  /** Stored messages of the flow (REST, since_id paging), in id order. */
  stored: StoredMessage[];
  /** A WebSocket and a JSON HTTP stream reader per streaming node, connected throughout, closed by now. */
  readers: FlowReader[];
}

export async function runFailover(s: FailoverScenario, options: FailoverRunOptions): Promise<FailoverRunResult> {
  const { signal, clients = 4, perClient = 40, killAfterAcked = 30, deadlineMs = 40_000 } = options;
  const readers = await openReaders(s.streamingNodes.map((n) => n.port), s);
  const writer = new CarefulWriter({ ...s, port: s.webApi.port });
  const deadline = Date.now() + deadlineMs;
  const writers = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; i < perClient; i++) await writer.post(`c${c}-${i}`, randomUUID(), deadline);
  });
  let ackedAtKill = 0;
  let killAt = Number.NaN;
  let newMasterAt = Number.NaN;
  const chaos = (async () => {
    while (writer.acked.size < killAfterAcked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    ackedAtKill = writer.acked.size;
    ({ at: killAt, newMasterAt } = await faultMaster(s, signal));
  })();
  await Promise.all([...writers, chaos]);
  // Safe retry of whatever the deadline cut short: the same uuid, now that writes work again.
  const unanswered = [...writer.pending.keys()];
  for (const [uuid, content] of [...writer.pending]) await writer.post(content, uuid, Date.now() + 10_000);

  const stored = await listStored({ ...s, port: s.webApi.port });
  await Promise.all(readers.map((r) => r.waitFor(stored.length, 10_000).catch(() => undefined)));
  for (const reader of readers) reader.close();
  return {
    acked: writer.acked, unanswered, retries: writer.retries, ackedAtKill, stored, readers,
    toNewMasterMs: newMasterAt - killAt,
    toWritesMs: writer.firstAckSentAfter(killAt) - killAt,
  };
}
