/**
 * The access policy: who may see, read and act on a flow. Pure functions over what the directory
 * knows about one caller and one flow (docs/security.md, "Who may read and do what", is its table).
 */
import type { FlowAccess } from '../ports/directory';

/** Everything a caller can do to a flow, each decided here and nowhere else. */
export type FlowAction =
  /** Know that it exists: list it (/flows/all), show it, list its users. */
  | 'see'
  /** Its messages, threads, live events (streams, WebSocket), backfill and SSE resume; presence. */
  | 'read'
  /** Post, comment, edit, delete, retag, typing. */
  | 'post'
  /** `PUT open:true` (joins an organization-mode flow) or `open:false` (closes the tab). */
  | 'set-open'
  /** Rename, change the access mode. */
  | 'change-settings'
  /** `disabled` on the flow (archive / unarchive). */
  | 'archive'
  /** `POST …/users`, `…/invitations` and their import: add someone of the organization, invite someone. */
  | 'add-member'
  /** `GET/POST/DELETE …/join_url`: see, make or turn off the link-mode flow's secret join link. */
  | 'share-link';

/** A refusal says how to answer: an invisible flow is "not found", never a hint that it exists. */
export type Decision = { allowed: true } | { allowed: false; as: 'not-found' | 'forbidden'; reason: string };

/** A refusal, on its own. */
export type Refusal = Extract<Decision, { allowed: false }>;

const ALLOWED: Decision = { allowed: true };
const NOT_FOUND: Refusal = { allowed: false, as: 'not-found', reason: 'flow not found' };
const forbid = (reason: string): Refusal => ({ allowed: false, as: 'forbidden', reason });
const ARCHIVED = forbid('the flow is archived');

/** A member who was not blocked and has not left; only they read the flow. */
export function isActiveMember(access: FlowAccess): boolean {
  const m = access.membership;
  return access.orgRole !== null && m !== null && !m.disabled && m.inFlow;
}

/**
 * Visible: an active member, or any organization member of an organization-mode flow (it is
 * joinable) unless blocked there. Blocked members and people outside the organization see nothing.
 */
export function canSee(access: FlowAccess): boolean {
  if (access.orgRole === null || access.membership?.disabled) return false;
  return isActiveMember(access) || access.flow.accessMode === 'organization';
}

/** Decides one action of the caller on the flow. */
export function decide(access: FlowAccess, action: FlowAction): Decision {
  if (!canSee(access)) return NOT_FOUND;
  switch (action) {
    case 'see':
    case 'set-open':
      return ALLOWED;
    case 'read':
    // Any active member may see and share the secret link, as in Flowdock; to the others it is content of the flow they cannot read.
    case 'share-link':
      // Not joined yet: the flow is listed as joinable, but its content is as invisible as REST makes it.
      return isActiveMember(access) ? ALLOWED : NOT_FOUND;
    case 'post':
      if (!isActiveMember(access)) return NOT_FOUND;
      return access.flow.disabled ? ARCHIVED : ALLOWED;
    case 'change-settings':
      return isActiveMember(access) ? ALLOWED : forbid('join the flow first');
    case 'add-member':
      // Adding and inviting bring people in: an archived flow takes nobody new (decideJoin).
      if (!isActiveMember(access)) return forbid('join the flow first');
      return decideJoin(access.flow, null);
    case 'archive':
      if (!isActiveMember(access)) return forbid('join the flow first');
      return access.orgRole === 'admin' ? ALLOWED : forbid('only organization admins can archive or restore a flow');
  }
}

/**
 * A member's post that the store refused when writing it (ADR 035), answered as the gate would have
 * answered it then: an active member of an archived flow is forbidden, anyone else no longer sees it.
 */
export function decideRefusedPost(refusal: { archived: boolean }): Refusal {
  return refusal.archived ? ARCHIVED : NOT_FOUND;
}

/**
 * Whether someone may join the flow (`PUT open:true`, its organization-mode join_url, a join link,
 * an invitation, being added), once the caller may know of it: a block stays in force, and an
 * archived flow takes nobody new.
 */
export function decideJoin(flow: { disabled: boolean }, membership: { disabled: boolean } | null): Decision {
  if (membership?.disabled) return forbid('you were blocked from this flow');
  return flow.disabled ? forbid('the flow is archived: nobody can join it') : ALLOWED;
}

/** The member a block or an unblock is about. */
export interface MemberTarget {
  userId: number;
  /** Their role in the flow's organization (null: not in it). */
  orgRole: 'admin' | 'member' | null;
}

/**
 * `PUT …/users/:id {disabled}`: any active member blocks or unblocks another member, except that
 * only organization admins block an organization admin, and nobody blocks or unblocks themselves.
 */
export function decideMemberChange(access: FlowAccess, callerId: number, target: MemberTarget, disabled: boolean): Decision {
  if (!canSee(access)) return NOT_FOUND;
  if (!isActiveMember(access)) return forbid('join the flow first');
  if (target.userId === callerId) return forbid(disabled ? 'you cannot block yourself' : 'you cannot unblock yourself');
  if (disabled && target.orgRole === 'admin' && access.orgRole !== 'admin') return forbid('only organization admins can block an organization admin');
  return ALLOWED;
}

/** What a flow token may do: read or update its own source, or post into its flow. */
export type TokenAction = 'read' | 'post';

/**
 * A source's flow token decides for the flow, not for a person: it has no membership, so only the
 * flow's own state counts, as it does for members. An archived flow is read-only for tokens too.
 */
export function decideForToken(flow: { disabled: boolean }, action: TokenAction): Decision {
  return action === 'post' && flow.disabled ? ARCHIVED : ALLOWED;
}
