/** `tributary failover status|history|promote`: SRE commands that read ZooKeeper directly (the manager itself is failover-manager/service.ts). */
import { parseArgs } from 'node:util';
import { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { type FailoverState, knownNodes, readFailoverState, readHistory, writePromoteRequest } from '../failover-manager/failover-znodes';
import { summarize } from '../failover-manager/status-summary';

const FAILOVER_USAGE = ['failover status [--json]', 'failover history [--json]', 'failover promote HOST:PORT'];

const PROMOTE_WAIT_MS = 15_000;

class Exit extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const pad = (cells: unknown[], widths: number[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ').trimEnd();

function status(state: FailoverState, json: boolean): void {
  const s = summarize(state);
  if (json) {
    out(JSON.stringify(s));
    return;
  }
  out(`master ${s.master ?? '(none recorded)'}  epoch ${s.epoch ?? '-'}  leader ${s.leader ?? '(no manager running)'}`);
  if (s.reason) out(`  since ${s.changedAt}: ${s.reason}`);
  const widths = [22, 8, 5, 12, 8, 10];
  out(pad(['NODE', 'ROLE', 'UP', 'OFFSET', 'LAG', 'SEEN UP BY'], widths));
  for (const n of s.nodes) out(pad([n.address, n.role, n.up ? 'up' : 'DOWN', n.offset, n.lag ?? '-', n.seenUpBy], widths));
  for (const m of s.managers) out(`manager ${m.managerId}${m.managerId === s.leader ? ' (leader)' : ''}${m.fresh ? '' : ' (stale view)'}: ${m.lastAction ?? ''}`);
}

async function history(session: ZookeeperSession, json: boolean): Promise<void> {
  const entries = await readHistory(session);
  if (json) return out(JSON.stringify(entries));
  if (entries.length === 0) return out('no failovers yet');
  for (const e of entries) {
    const took = e.detectionMs === null ? `${e.promotionMs} ms` : `${e.detectionMs + e.promotionMs} ms (detection ${e.detectionMs} + promotion ${e.promotionMs})`;
    out(`${e.at}  epoch ${e.epoch}  ${e.manual ? 'manual   ' : 'automatic'}  ${e.oldMaster ?? '-'} → ${e.newMaster}  took ${took}  ${e.reason}`);
  }
}

async function promote(session: ZookeeperSession, target: string | undefined, state: FailoverState): Promise<void> {
  const known = knownNodes(state);
  if (!target || !known.includes(target)) throw new Exit(`unknown node ${target ?? '(none given)'}; known: ${known.join(', ') || '(none: no manager has published a view)'}`, 2);
  if (state.record?.value.master === target) return out(`${target} is already the master (epoch ${state.record.value.epoch})`);
  await writePromoteRequest(session, target);
  out(`asked the managers to switch over to ${target}; waiting up to ${PROMOTE_WAIT_MS / 1000} s`);
  const until = Date.now() + PROMOTE_WAIT_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await readFailoverState(session);
    if (now.record?.value.master === target) return out(`${target} is the master now (epoch ${now.record.value.epoch})`);
    if (!now.request) {
      const said = now.views.find((v) => v.managerId === now.leaderId)?.lastAction;
      throw new Exit(`the leader did not switch over: ${said ?? 'no reason published'}`, 1);
    }
  }
  throw new Exit(`no switch-over within ${PROMOTE_WAIT_MS / 1000} s; is a failover manager running?`, 1);
}

/** `tributary failover VERB …`; exits 2 on a usage error or an unknown node, 1 when the switch-over did not happen. */
export async function runFailoverCommand(verb: string | undefined, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const json = values.json === true;
  let session: ZookeeperSession | null = null;
  try {
    if (!['status', 'history', 'promote'].includes(verb ?? '')) throw new Exit(`usage: tributary ${FAILOVER_USAGE.join('\n       tributary ')}`, 2);
    const connectString = process.env.ZOOKEEPER_CONNECT;
    if (!connectString) throw new Exit('ZOOKEEPER_CONNECT is not set (e.g. 127.0.0.1:2181)', 2);
    session = await ZookeeperSession.connect(connectString, { connectTimeoutMs: 5000 });
    if (verb === 'history') await history(session, json);
    else if (verb === 'status') status(await readFailoverState(session), json);
    else await promote(session, positionals[0], await readFailoverState(session));
  } catch (err) {
    const code = err instanceof Exit ? err.code : 1;
    // With --json, stdout holds only JSON, errors included.
    if (json) out(JSON.stringify({ error: (err as Error).message }));
    else process.stderr.write(`tributary: ${(err as Error).message}\n`);
    process.exitCode = code;
  } finally {
    session?.close();
  }
}
