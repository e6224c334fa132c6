/** Posts sequence-numbered messages from several careful clients while the Redis master is taken away, then collects what was stored and delivered. */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { FailoverScenario } from './failover-scenario';

export interface FailoverRunOptions {
  /** SIGKILL (dead master) or SIGSTOP (hung master). */
  signal: 'SIGKILL' | 'SIGSTOP';
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
  stored: { id: number; uuid: string }[];
  /** Message ids the subscriber connected throughout received, in arrival order. */
  delivered: number[];
}

/** A WebSocket subscriber of the flow that records message ids. */
async function subscribe(s: FailoverScenario): Promise<{ ids: number[]; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.streaming.port}/ws`, { headers: { authorization: `Bearer ${s.token}` } });
  const ids: number[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow: s.flowId }] }));
      else if (frame.type === 'subscribed') resolve();
      else if (frame.event === 'message' && frame.flow === s.flowId) ids.push(frame.id);
    });
  });
  return { ids, close: () => ws.close() };
}

/** One POST; the id on 201, null otherwise (any other status, a network error, or no answer within 5 s). */
async function postOnce(s: FailoverScenario, content: string, uuid: string): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${s.webApi.port}/flows/${s.flowPath}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'message', content, uuid }),
      signal: AbortSignal.timeout(5000),
    });
    const body = await res.text();
    return res.status === 201 ? (JSON.parse(body) as { id: number }).id : null;
  } catch {
    return null;
  }
}

/** Every stored message of the flow, paging with since_id. */
export async function listStored(s: FailoverScenario): Promise<{ id: number; uuid: string }[]> {
  const stored: { id: number; uuid: string }[] = [];
  for (let since = 0; ; ) {
    const res = await fetch(`http://127.0.0.1:${s.webApi.port}/flows/${s.flowPath}/messages?sort=asc&limit=100&since_id=${since}`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const page = (await res.json()) as { id: number; uuid: string }[];
    if (!page.length) return stored;
    stored.push(...page);
    since = page[page.length - 1]!.id;
  }
}

export async function runFailover(s: FailoverScenario, options: FailoverRunOptions): Promise<FailoverRunResult> {
  const { signal, clients = 4, perClient = 40, killAfterAcked = 30, deadlineMs = 40_000 } = options;
  const sub = await subscribe(s);
  const deadline = Date.now() + deadlineMs;
  const acked = new Map<string, number>();
  const pending = new Map<string, string>(); // uuid → content, until acknowledged
  let retries = 0;
  let killAt = Number.POSITIVE_INFINITY;
  let firstAckAfterKill = Number.POSITIVE_INFINITY;

  /** A careful client: the same uuid until 201 or the deadline. */
  const post = async (content: string, uuid: string, until = deadline) => {
    pending.set(uuid, content);
    while (Date.now() < until) {
      const sentAt = Date.now();
      const id = await postOnce(s, content, uuid);
      if (id !== null) {
        acked.set(uuid, id);
        pending.delete(uuid);
        if (sentAt >= killAt) firstAckAfterKill = Math.min(firstAckAfterKill, Date.now());
        return;
      }
      retries++;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const writers = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; i < perClient; i++) await post(`c${c}-${i}`, randomUUID());
  });
  const epochBefore = (await s.znode.read())?.epoch ?? 0;
  let ackedAtKill = 0;
  let newMasterAt = Number.NaN;
  const chaos = (async () => {
    while (acked.size < killAfterAcked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const current = await s.znode.read();
    const master = s.servers.nodes.find((n) => n.address === current?.master) ?? s.servers.nodes[0]!;
    ackedAtKill = acked.size;
    killAt = Date.now();
    s.servers.redis.signal(master.address, signal);
    newMasterAt = (await s.znode.waitForEpochAbove(epochBefore, 20_000)).at;
  })();
  await Promise.all([...writers, chaos]);
  // Safe retry of whatever the deadline cut short: the same uuid, now that writes work again.
  const unanswered = [...pending.keys()];
  for (const [uuid, content] of [...pending]) await post(content, uuid, Date.now() + 10_000);

  const stored = await listStored(s);
  const until = Date.now() + 10_000;
  while (sub.ids.length < stored.length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  sub.close();
  return {
    acked, unanswered, retries, ackedAtKill, stored, delivered: sub.ids,
    toNewMasterMs: newMasterAt - killAt,
    toWritesMs: firstAckAfterKill - killAt,
  };
}
