/** Row → domain mappers and the column lists that go with them. */
import type { AccessMode, Flow, FlowMembership, Organization, User } from '../../../core/domain/types';
import type { FlowAccess } from '../../../core/ports/directory';

export const USER_COLUMNS = 'u.id, u.email, u.name, u.nick, u.avatar, u.website, u.created_at';
export const ORG_COLUMNS = 'o.id, o.name, o.parameterized_name, o.created_at';
export const FLOW_COLUMNS = 'f.id, f.organization_id, f.name, f.parameterized_name, f.access_mode, f.disabled, f.created_at';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  nick: string;
  avatar: string | null;
  website: string | null;
  created_at: Date;
}

export interface OrgRow {
  id: string;
  name: string;
  parameterized_name: string;
  created_at: Date;
}

export interface FlowRow {
  id: string;
  organization_id: string;
  name: string;
  parameterized_name: string;
  access_mode: AccessMode;
  disabled: boolean;
  created_at: Date;
}

export const toUser = (r: UserRow): User => ({
  id: Number(r.id),
  email: r.email,
  name: r.name,
  nick: r.nick,
  avatar: r.avatar,
  website: r.website,
  createdAt: r.created_at,
});

export const toOrganization = (r: OrgRow): Organization => ({
  id: Number(r.id),
  name: r.name,
  parameterizedName: r.parameterized_name,
  createdAt: r.created_at,
});

export const toFlow = (r: FlowRow): Flow => ({
  id: r.id,
  organizationId: Number(r.organization_id),
  name: r.name,
  parameterizedName: r.parameterized_name,
  accessMode: r.access_mode,
  disabled: r.disabled,
  createdAt: r.created_at,
});

/** A joined flow+organization+membership row, with prefixed organization and membership columns. */
export interface FlowViewRow extends FlowRow {
  o_id: string;
  o_name: string;
  o_parameterized_name: string;
  o_created_at: Date;
  m_user_id: string | null;
  m_open: boolean | null;
  m_disabled: boolean | null;
  m_in_flow: boolean | null;
}

export const FLOW_VIEW_COLUMNS = `${FLOW_COLUMNS}, o.id AS o_id, o.name AS o_name, o.parameterized_name AS o_parameterized_name,
  o.created_at AS o_created_at, m.user_id AS m_user_id, m.open AS m_open, m.disabled AS m_disabled, m.in_flow AS m_in_flow`;

export const toMembership = (r: FlowViewRow): FlowMembership | null =>
  r.m_user_id === null
    ? null
    : { flowId: r.id, userId: Number(r.m_user_id), open: !!r.m_open, disabled: !!r.m_disabled, inFlow: !!r.m_in_flow };

export const toFlowView = (r: FlowViewRow) => ({
  flow: toFlow(r),
  organization: toOrganization({ id: r.o_id, name: r.o_name, parameterized_name: r.o_parameterized_name, created_at: r.o_created_at }),
  membership: toMembership(r),
});

/** A flow view row plus the caller's role in the flow's organization (null: not a member). */
export interface FlowAccessRow extends FlowViewRow {
  org_role: 'admin' | 'member' | null;
}

export const toFlowAccess = (r: FlowAccessRow): FlowAccess => ({ ...toFlowView(r), orgRole: r.org_role });
