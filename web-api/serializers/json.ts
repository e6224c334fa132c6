/** The API's JSON shapes (spec §2.1): flows, users, organizations, as clients expect them. */
import type { Organization, User } from '../../core/domain/types';
import type { Unread } from '../../core/messaging/unread';
import { flowAddress } from '../../core/integrations/mail-address';
import type { FlowUser, FlowView } from '../../core/ports/directory';

/** Absolute URLs need the public origin: PUBLIC_URL, or the request's own. */
export interface UrlBase {
  api: string;
  /** MAIL_DOMAIN, for flows' addresses; null when the server has none. */
  mailDomain?: string | null;
}

export function userJson(user: User) {
  return { id: user.id, email: user.email, name: user.name, nick: user.nick, avatar: user.avatar ?? '', website: user.website };
}

export function organizationJson(org: Organization & { userCount: number }, base: UrlBase) {
  return {
    id: org.id,
    parameterized_name: org.parameterizedName,
    name: org.name,
    user_limit: 0,
    user_count: org.userCount,
    active: true,
    url: `${base.api}/organizations/${org.parameterizedName}`,
    subscription: { trial: false, billing_date: null },
  };
}

export function flowUserJson(user: FlowUser, lastActivity: number | undefined) {
  return {
    ...userJson(user),
    status: null,
    disabled: user.disabled,
    in_flow: user.inFlow,
    last_activity: lastActivity ?? 0,
    last_ping: lastActivity ?? 0,
  };
}

export interface FlowExtras {
  unreadMentions: number;
  /** The caller's read marker and what is unread after it (members only; docs/api.md "Read markers"). */
  unread?: Unread;
  userCount: number;
  users?: ReturnType<typeof flowUserJson>[];
  /** The link-mode flow's secret link token, given for its members only (docs/adr/030-join-links.md). */
  joinToken?: string | null;
}

/**
 * A flow's `join_url`: an organization-mode flow's `/join` (for anyone of the organization), a
 * link-mode flow's secret `/join/<token>` while it has one (`joinToken`, shown to members only),
 * else null: invitation-mode flows are joined by invitation.
 */
export function joinUrlOf(view: FlowView, joinToken: string | null | undefined, base: UrlBase): string | null {
  const path = `${base.api}/flows/${view.organization.parameterizedName}/${view.flow.parameterizedName}/join`;
  if (view.flow.accessMode === 'organization') return path;
  return view.flow.accessMode === 'link' && joinToken ? `${path}/${joinToken}` : null;
}

/**
 * The read-marker fields of a flow or private conversation (docs/api.md "Read markers"):
 * `unread_through_id` is where a live subscription resumes (`since`) to count every later message once.
 */
export function unreadJson(unread: Unread) {
  return { unread_count: unread.count, last_read_id: unread.lastReadId, unread_through_id: unread.throughId };
}

export function flowJson(view: FlowView, extras: FlowExtras, base: UrlBase) {
  const { flow, organization, membership } = view;
  const path = `${organization.parameterizedName}/${flow.parameterizedName}`;
  return {
    id: flow.id,
    name: flow.name,
    parameterized_name: flow.parameterizedName,
    organization: organizationJson({ ...organization, userCount: extras.userCount }, base),
    unread_mentions: extras.unreadMentions,
    ...(extras.unread ? unreadJson(extras.unread) : {}),
    open: membership?.open ?? false,
    joined: membership?.inFlow === true,
    url: `${base.api}/flows/${path}`,
    // The app is served beside the REST API (same origin).
    web_url: `${base.api}/app/${path}`,
    access_mode: flow.accessMode,
    join_url: joinUrlOf(view, extras.joinToken, base),
    email: base.mailDomain ? flowAddress(organization.parameterizedName, flow.parameterizedName, base.mailDomain) : null,
    disabled: flow.disabled,
    ...(extras.users ? { users: extras.users } : {}),
  };
}
