/**
 * Readers through consecutive Redis failovers (issue 10, point 1): a writer posts ~20 messages/s,
 * each retried with its uuid until 201, while the master is taken away 20 times in a row
 * (SIGKILL and SIGSTOP alternately; the lost node comes back as a replica before the next fault).
 * A WebSocket and a JSON HTTP-stream reader on each of two streaming nodes stay connected
 * throughout: each must receive every stored message exactly once, in order, with no reconnect
 * and no `resync` (a resync would hand the gap to the client, which the issue forbids).
 */
import { CarefulWriter } from '../support/careful-writer';
import { faultMaster, type FaultSignal, recoverNode, waitForHealthyGroup } from '../support/failover-faults';
import { type FailoverScenario, startFailoverScenario } from '../support/failover-scenario';
import { describeReaders, listStored, tally } from '../support/flow-ledger';
import { type FlowReader, openReaders } from '../support/flow-readers';

const FAILOVERS = 20;
/** The streaming nodes' own account of the gaps they filled (printed: it shows the fill was exercised). */
const GAP_COUNTERS = /^tributary_stream_(gaps_total|catch_up_replayed_total)\S* \S+$/gm;
const POSTS_PER_SECOND = 20;

jest.setTimeout(300_000);

/** `min/median/max ms` of some durations. */
function spread(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `${sorted[0]}/${sorted[Math.floor(sorted.length / 2)]}/${sorted[sorted.length - 1]} ms (min/median/max)`;
}

let scenario: FailoverScenario;
let readers: FlowReader[] = [];

beforeAll(async () => {
  scenario = await startFailoverScenario({ streamingNodes: 2 });
  readers = await openReaders(scenario.streamingNodes.map((n) => n.port), scenario);
});

afterAll(async () => {
  for (const reader of readers) reader.close();
  await scenario?.stop(); // SIGCONTs a stopped master before killing it
});

it(`${FAILOVERS} consecutive failovers: nothing lost, doubled or undelivered, and no reader reconnects`, async () => {
  const startedAt = Date.now();
  const writer = new CarefulWriter({ ...scenario, port: scenario.webApi.port });
  const stopWriting = writer.pace(POSTS_PER_SECOND, 20_000);
  const toNewMaster: number[] = [];
  const toWrites: number[] = [];
  try {
    for (let i = 0; i < FAILOVERS; i++) {
      const signal: FaultSignal = i % 2 === 0 ? 'SIGKILL' : 'SIGSTOP';
      await waitForHealthyGroup(scenario);
      // Writes flow through the current master before it is taken away.
      await writer.waitForAckSentAfter(Date.now(), 15_000);
      const fault = await faultMaster(scenario, signal);
      const writesBackAt = await writer.waitForAckSentAfter(fault.at, 30_000);
      await recoverNode(scenario, fault);
      toNewMaster.push(fault.newMasterAt - fault.at);
      toWrites.push(writesBackAt - fault.at);
      process.stdout.write(
        `run ${i + 1}/${FAILOVERS} ${signal} ${fault.master} → ${fault.record.master} (epoch ${fault.record.epoch}): ` +
        `new master after ${toNewMaster.at(-1)} ms, writes back after ${toWrites.at(-1)} ms\n`,
      );
    }
  } catch (error) {
    process.stdout.write(`what the processes said:\n${scenario.output()}\n`);
    throw error;
  } finally {
    await stopWriting();
  }

  const stored = await listStored({ ...scenario, port: scenario.webApi.port });
  // Every reader gets the chance to catch up; one that does not shows up in the counts below.
  await Promise.all(readers.map((r) => r.waitFor(stored.length, 10_000).catch(() => undefined)));
  const books = tally(writer.acked, stored, readers);
  for (const node of scenario.streamingNodes) {
    const metrics = await fetch(`http://127.0.0.1:${node.port}/metrics`).then((r) => r.text());
    process.stdout.write(`streaming node ${node.port}: ${(metrics.match(GAP_COUNTERS) ?? ['no gap counters']).join(', ')}\n`);
  }
  process.stdout.write(
    `${FAILOVERS} failovers in ${Math.round((Date.now() - startedAt) / 1000)} s: ${books.acknowledged} acknowledged (${writer.retries} retried attempts, ` +
      `${writer.pending.size} unanswered), new master after ${spread(toNewMaster)}, writes back after ${spread(toWrites)}; ${books.stored} stored, lost ${books.lost}, doubled ${books.doubled}; ${describeReaders(books)}\n`,
  );

  // Every post was answered 201 in the end, and each is stored once under the id it was acknowledged with.
  expect(writer.pending.size).toBe(0);
  expect({ lost: books.lost, doubled: books.doubled }).toEqual({ lost: 0, doubled: 0 });
  expect(books.stored).toBe(books.acknowledged);
  // Each reader, on the same socket or response all along: every stored id once, in order, no resync.
  expect(books.readers).toEqual(
    readers.map((r) => ({ transport: r.transport, port: r.port, undelivered: 0, repeated: 0, inOrder: true, resyncs: 0, dropped: null })),
  );
});
