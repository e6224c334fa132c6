/**
 * What the app's failover page (web-api/routes/admin-failover.ts) reads and asks of ZooKeeper, with
 * the managers' own readers: the status `tributary failover status` shows (readFailoverState →
 * summarize), the timeline of `tributary failover history`, and the promote request of
 * `tributary failover promote`. Each call opens a short session with the CLI's bounds and closes it
 * (docs/adr/017-markdown-and-site-admins.md: site admins are few; nothing stays open on every node).
 */
import type { FailoverTimelineEntry } from '../core/discovery/failover-state';
import { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { readFailoverState, readTimeline } from './failover-znodes';
import { withTimeout } from './node-checker';
import { type PromoteOutcome, requestSwitchover } from './promote-request';
import { type FailoverSummary, summarize } from './status-summary';

/** Bound on reaching ZooKeeper, and on each read: the CLI's (cli/failover-status.ts), so a page answers within about a second. */
export const CONSOLE_ZK_TIMEOUT_MS = 600;

export interface FailoverOverview {
  /** When ZooKeeper was read (ISO). */
  readAt: string;
  status: FailoverSummary;
  /** Master changes, leader changes and ZooKeeper outages, oldest first. */
  timeline: FailoverTimelineEntry[];
}

export interface FailoverConsole {
  /** The ZooKeeper the managers publish in (ZOOKEEPER_CONNECT). */
  readonly zookeeper: string;
  /** Throws naming ZooKeeper when it cannot be reached or read in time. */
  overview(): Promise<FailoverOverview>;
  /** Validates `target` against the nodes the managers know and writes the promote request. */
  promote(target: string): Promise<PromoteOutcome>;
}

export function zookeeperFailoverConsole(connectString: string): FailoverConsole {
  async function withSession<T>(work: (session: ZookeeperSession) => Promise<T>): Promise<T> {
    let session: ZookeeperSession;
    try {
      session = await ZookeeperSession.connect(connectString, { connectTimeoutMs: CONSOLE_ZK_TIMEOUT_MS });
    } catch (err) {
      throw new Error(`ZooKeeper unreachable at ${connectString} (${(err as Error).message})`);
    }
    try {
      return await withTimeout(work(session), CONSOLE_ZK_TIMEOUT_MS, `reading ZooKeeper at ${connectString}`);
    } finally {
      session.close();
    }
  }
  return {
    zookeeper: connectString,
    overview: () =>
      withSession(async (session) => {
        const [state, timeline] = await Promise.all([readFailoverState(session), readTimeline(session)]);
        return { readAt: new Date().toISOString(), status: summarize(state), timeline };
      }),
    promote: (target) => withSession(async (session) => requestSwitchover(session, target, await readFailoverState(session))),
  };
}
