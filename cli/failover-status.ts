/**
 * `tributary failover status`: the failover state read from ZooKeeper within a bound, or — when
 * ZooKeeper cannot be read in time — the last view of a manager named with `--manager`, saying
 * plainly which one is shown and how old it is. Every wait is bounded, so it answers within about a second.
 */
import { readFailoverState } from '../failover-manager/failover-znodes';
import type { ManagerStatus } from '../failover-manager/manager-status';
import { withTimeout } from '../failover-manager/node-checker';
import { type FailoverSummary, summarize } from '../failover-manager/status-summary';
import { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';

/** Bound on reaching and reading ZooKeeper, then on asking the managers: together under a second. */
export const STATUS_ZK_TIMEOUT_MS = 600;
export const STATUS_MANAGER_TIMEOUT_MS = 350;

/** What the command shows: the summary, where it came from, and a sentence when it may be out of date. */
export interface StatusReport extends FailoverSummary {
  /** "zookeeper" or the manager's URL. */
  source: string;
  notice: string | null;
}

async function fromZookeeper(connectString: string): Promise<StatusReport> {
  const session = await ZookeeperSession.connect(connectString, { connectTimeoutMs: STATUS_ZK_TIMEOUT_MS });
  try {
    const state = await withTimeout(readFailoverState(session), STATUS_ZK_TIMEOUT_MS, `reading ZooKeeper at ${connectString}`);
    return { ...summarize(state), source: 'zookeeper', notice: null };
  } finally {
    session.close();
  }
}

/** A manager's own status, in the shape the command prints. */
async function fromManager(url: string): Promise<StatusReport> {
  const response = await fetch(new URL('/status', url), { signal: AbortSignal.timeout(STATUS_MANAGER_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const s = (await response.json()) as ManagerStatus;
  return {
    master: s.master, epoch: s.epoch, changedAt: null, reason: null, leader: s.leader, leaderDown: s.leaderDown, managers: s.managers,
    nodes: s.nodes.map((n) => ({ address: n.address, role: n.role, up: n.up, offset: n.offset, lag: n.lag, seenUpBy: `seen by ${s.managerId}` })),
    source: url, notice: s.notice,
  };
}

/** ZooKeeper first; when it cannot be read in time, the first manager that answers. Throws naming every cause. */
export async function readStatus(connectString: string, managerUrls: string[]): Promise<StatusReport> {
  const startedAt = Date.now();
  let zkError: string;
  try {
    return await fromZookeeper(connectString);
  } catch (err) {
    zkError = (err as Error).message;
  }
  const plain = `ZooKeeper unreachable at ${connectString} (${zkError})`;
  if (managerUrls.length === 0) throw new Error(`${plain}; pass --manager http://HOST:PORT (a failover manager) to see its last view`);
  try {
    const report = await Promise.any(managerUrls.map(fromManager));
    return { ...report, notice: `${plain} ${Date.now() - startedAt} ms into this command; ${report.source} says: ${report.notice ?? 'it sees ZooKeeper'}` };
  } catch (err) {
    const causes = (err as AggregateError).errors.map((e: Error) => e.message).join('; ');
    throw new Error(`${plain}, and no manager answered within ${STATUS_MANAGER_TIMEOUT_MS} ms (${causes})`);
  }
}

const pad = (cells: unknown[], widths: number[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ').trimEnd();

/** The report as lines of text. */
export function renderStatus(s: StatusReport): string[] {
  const lines: string[] = [];
  if (s.notice) lines.push(`NOTE: ${s.notice}`);
  const leader = s.leader ?? (s.leaderDown ? `none up (${s.leaderDown})` : '(no manager running)');
  lines.push(`master ${s.master ?? '(none recorded)'}  epoch ${s.epoch ?? '-'}  leader ${leader}`);
  if (s.reason) lines.push(`  since ${s.changedAt}: ${s.reason}`);
  const widths = [22, 8, 5, 12, 8, 10];
  lines.push(pad(['NODE', 'ROLE', 'UP', 'OFFSET', 'LAG', 'SEEN UP BY'], widths));
  for (const n of s.nodes) lines.push(pad([n.address, n.role, n.up ? 'up' : 'DOWN', n.offset, n.lag ?? '-', n.seenUpBy], widths));
  for (const m of s.managers) {
    const state = m.up ? 'up' : `DOWN (${m.down})`;
    lines.push(`manager ${m.managerId} ${state}${m.managerId === s.leader ? ' (leader)' : ''}: ${m.lastAction ?? ''}`.trimEnd());
  }
  return lines;
}
