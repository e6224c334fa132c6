/** The app's URLs (issue 11): /app/, /app/:org/:flow, /app/:org/:flow/threads/:id, /app/private/:userId, /app/admin/failover. */

import { type Flow, flowPath } from './types';

export type Route =
  | { page: 'home' }
  | { page: 'flow'; path: string; thread?: string }
  | { page: 'private'; userId: string }
  /** The site admins' failover page (it shadows a flow `failover` of an organization named `admin`). */
  | { page: 'failover' }
  | { page: 'unknown' };

export const APP_BASE = '/app/';

export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(APP_BASE)) return { page: 'home' };
  const parts = pathname.slice(APP_BASE.length).split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'admin' && parts[1] === 'failover' && parts.length === 2) return { page: 'failover' };
  if (parts[0] === 'private' && parts.length === 2) return { page: 'private', userId: parts[1]! };
  if (parts.length === 2) return { page: 'flow', path: `${parts[0]}/${parts[1]}` };
  if (parts.length === 4 && parts[2] === 'threads') return { page: 'flow', path: `${parts[0]}/${parts[1]}`, thread: parts[3]! };
  return { page: 'unknown' };
}

export const FAILOVER_URL = `${APP_BASE}admin/failover`;

export const flowUrl = (path: string): string => `${APP_BASE}${path}`;

/** The app URL of a conversation by its log key (a flow id, or `private:<user id>`); null for a flow not in `flows`. */
export function urlOfConversation(key: string, flows: readonly Flow[]): string | null {
  if (key.startsWith('private:')) return flowUrl(`private/${key.slice('private:'.length)}`);
  const flow = flows.find((f) => f.id === key);
  return flow ? flowUrl(flowPath(flow)) : null;
}

/** Moves within the app without a reload; components re-read the location on `popstate`. */
export function navigate(url: string): void {
  if (url === location.pathname) return;
  history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
}
