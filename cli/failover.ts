/** `tributary failover status|history|promote`: SRE commands that read ZooKeeper directly (the manager itself is failover-manager/service.ts). */
import { parseArgs } from 'node:util';
import { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import type { FailoverTimelineEntry } from '../core/discovery/failover-state';
import { type FailoverState, readFailoverState, readTimeline } from '../failover-manager/failover-znodes';
import { requestSwitchover } from '../failover-manager/promote-request';
import { readStatus, renderStatus } from './failover-status';

const FAILOVER_USAGE = ['failover status [--json] [--manager http://HOST:PORT …]', 'failover history [--json]', 'failover promote HOST:PORT'];

const PROMOTE_WAIT_MS = 15_000;

class Exit extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
async function status(connectString: string, managers: string[], json: boolean): Promise<void> {
  const bad = managers.find((m) => !URL.canParse(m) || !/^https?:$/.test(new URL(m).protocol));
  if (bad !== undefined) throw new Exit(`--manager ${bad} is not a URL; expected e.g. http://10.0.0.1:3300`, 2);
  const report = await readStatus(connectString, managers);
  if (json) return out(JSON.stringify(report));
  for (const line of renderStatus(report)) out(line);
}

/** One line per entry; master changes keep the format they always had, with the outage and the acting manager added. */
function historyLine(e: FailoverTimelineEntry): string {
  if (e.kind === 'leader-change') return `${e.at}  leader     ${e.previous ?? '-'} → ${e.leader}`;
  if (e.kind === 'zookeeper-outage') {
    return `${e.lostAt}  zookeeper  ${e.managerId} lost its session for ${e.outageMs} ms (back ${e.regainedAt}${e.sessionExpired ? ', new session' : ''})`;
  }
  const took = e.detectionMs === null ? `${e.promotionMs} ms` : `${e.detectionMs + e.promotionMs} ms (detection ${e.detectionMs} + promotion ${e.promotionMs})`;
  const outage = e.outageMs == null ? '' : `  outage ${e.outageMs} ms from ${e.outageStartedAt}`;
  const by = e.managerId ? `  by ${e.managerId}` : '';
  return `${e.at}  epoch ${e.epoch}  ${e.manual ? 'manual   ' : 'automatic'}  ${e.oldMaster ?? '-'} → ${e.newMaster}  took ${took}${outage}${by}  ${e.reason}`;
}

async function history(session: ZookeeperSession, json: boolean): Promise<void> {
  const entries = await readTimeline(session);
  if (json) return out(JSON.stringify(entries));
  if (entries.length === 0) return out('no failovers, leader changes or ZooKeeper outages recorded yet');
  for (const e of entries) out(historyLine(e));
}

async function promote(session: ZookeeperSession, given: string | undefined, state: FailoverState): Promise<void> {
  const outcome = await requestSwitchover(session, given, state);
  if (outcome.kind === 'unknown-node') throw new Exit(outcome.message, 2);
  if (outcome.kind === 'already-master') return out(`${outcome.target} is already the master (epoch ${outcome.epoch})`);
  const target = outcome.target;
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
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, manager: { type: 'string', multiple: true } } });
  const json = values.json === true;
  let session: ZookeeperSession | null = null;
  try {
    if (!['status', 'history', 'promote'].includes(verb ?? '')) throw new Exit(`usage: tributary ${FAILOVER_USAGE.join('\n       tributary ')}`, 2);
    const connectString = process.env.ZOOKEEPER_CONNECT;
    if (!connectString) throw new Exit('ZOOKEEPER_CONNECT is not set (e.g. 127.0.0.1:2181)', 2);
    if (verb === 'status') return await status(connectString, values.manager ?? [], json);
    session = await ZookeeperSession.connect(connectString, { connectTimeoutMs: 5000 });
    if (verb === 'history') await history(session, json);
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
