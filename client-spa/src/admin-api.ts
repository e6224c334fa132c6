/**
 * The site admins' failover API as the failover page calls it (docs/api.md, "Site administration"):
 * the shapes of `tributary failover status --json` and `history --json`, only the fields the page uses.
 */
import type { FailoverTimelineEntry } from '../../core/discovery/failover-state';
import { request } from './api';

export type { FailoverTimelineEntry };

export interface FailoverNode {
  address: string;
  role: 'master' | 'replica' | 'unknown';
  up: boolean;
  /** -1 until known. */
  offset: number;
  /** Bytes behind the master; null for the master or when unknown. */
  lag: number | null;
  seenUpBy: string;
}

export interface FailoverManagerState {
  managerId: string;
  up: boolean;
  down: string | null;
  holdsLead: boolean;
  viewAgeMs: number | null;
  lastAction: string | null;
}

export interface FailoverStatus {
  master: string | null;
  epoch: number | null;
  changedAt: string | null;
  reason: string | null;
  leader: string | null;
  leaderDown: string | null;
  managers: FailoverManagerState[];
  nodes: FailoverNode[];
}

export type FailoverAnswer =
  | { configured: false; message: string }
  | { configured: true; zookeeper: string; readAt: string; status: FailoverStatus; timeline: FailoverTimelineEntry[] };

export const failoverState = (): Promise<FailoverAnswer> => request('GET', '/admin/failover');

export const promoteNode = (target: string): Promise<{ target: string; requested: boolean; message: string }> =>
  request('POST', '/admin/failover/promote', { target });
