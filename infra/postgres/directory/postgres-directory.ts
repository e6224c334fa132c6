/** Directory on Postgres: organizations, users, memberships, flows, tokens and private conversations. */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { AccessMode, Flow, Organization, User } from '../../../core/domain/types';
import type {
  Directory, FlowAccess, FlowLocator, FlowUser, MemberOrganization, NewUser, OrgMember, PrivateConversationState,
} from '../../../core/ports/directory';
import { hashApiToken as hashToken, newApiToken } from '../../../core/auth/api-tokens';
import {
  emailTaken, flowTaken, nickTaken, organizationTaken, requireParameterizedName, userEmailTaken,
} from '../../../core/directory-rules';
import { notFound } from '../../../core/errors';
import { nickFrom } from '../../../core/names';
import { PasswordHasher } from '../../../core/passwords';
import {
  FLOW_COLUMNS, FLOW_VIEW_COLUMNS, ORG_COLUMNS, USER_COLUMNS, toFlow, toFlowAccess, toFlowView, toOrganization, toUser,
  type FlowAccessRow, type FlowRow, type FlowViewRow, type OrgRow, type UserRow,
} from './rows';
import type { PasswordMatch } from '../../../core/ports/credential-store';
import { PostgresSessions } from './postgres-sessions';
import { PostgresInvitations } from './postgres-invitations';
import { PostgresJoinLinks } from './postgres-join-links';
import { PostgresSources } from './postgres-sources';
import { PostgresReadMarkers } from './postgres-read-markers';

type OrgWithCounts = MemberOrganization;
type OrgCountRow = OrgRow & { user_count: string; role: string };
const toOrgWithCounts = (r: OrgCountRow): OrgWithCounts => ({ ...toOrganization(r), userCount: Number(r.user_count), admin: r.role === 'admin' });

const ORG_OF_USER = `SELECT ${ORG_COLUMNS}, m.role,
  (SELECT count(*) FROM organization_members c WHERE c.organization_id = o.id) AS user_count
  FROM organizations o JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $1`;

/** Flows with the caller's ($1) membership and organization role: the facts the access policy decides on. */
const FLOW_ACCESS_FROM = `SELECT ${FLOW_VIEW_COLUMNS}, om.role AS org_role
  FROM flows f
  JOIN organizations o ON o.id = f.organization_id
  LEFT JOIN flow_members m ON m.flow_id = f.id AND m.user_id = $1
  LEFT JOIN organization_members om ON om.organization_id = f.organization_id AND om.user_id = $1`;

const FLOW_ACCESS_BY_ID = `${FLOW_ACCESS_FROM} WHERE f.id = $2`;
const FLOW_ACCESS_BY_NAME = `${FLOW_ACCESS_FROM} WHERE o.parameterized_name = $2 AND f.parameterized_name = $3`;

function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** The unique index that keeps nicks unique per organization (migration 003). */
const NICK_PER_ORG = 'organization_members_nick_key';

export class PostgresDirectory implements Directory {
  readonly sessions: PostgresSessions;
  readonly sources: PostgresSources;
  readonly readMarkers: PostgresReadMarkers;
  readonly invitations: PostgresInvitations;
  readonly joinLinks: PostgresJoinLinks;

  /** `hasher` bounds concurrent scrypt work; its default allows 2 at once. */
  constructor(
    private readonly pool: Pool,
    private readonly hasher: PasswordHasher = new PasswordHasher(),
  ) {
    this.sessions = new PostgresSessions(pool);
    this.sources = new PostgresSources(pool);
    this.readMarkers = new PostgresReadMarkers(pool);
    this.invitations = new PostgresInvitations(pool);
    this.joinLinks = new PostgresJoinLinks(pool);
  }

  async createOrganization(name: string): Promise<Organization> {
    const slug = requireParameterizedName(name);
    try {
      const { rows } = await this.pool.query<OrgRow>(
        `INSERT INTO organizations (name, parameterized_name) VALUES ($1, $2) RETURNING ${ORG_COLUMNS.replace(/o\./g, '')}`,
        [name, slug],
      );
      return toOrganization(rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw organizationTaken(slug);
      throw err;
    }
  }

  async createUser(input: NewUser): Promise<User> {
    const hash = await this.hasher.hash(input.password);
    const nick = input.nick ?? nickFrom(input.name ?? input.email);
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO users (email, name, nick, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS.replace(/u\./g, '')}`,
        [input.email, input.name ?? nick, nick, hash],
      );
      return toUser(rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw userEmailTaken(input.email);
      throw err;
    }
  }

  /** Throws CONFLICT (409) when another member of the organization already uses the user's nick. */
  async addOrganizationMember(orgId: number, userId: number, admin: boolean): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [orgId, userId, admin ? 'admin' : 'member'],
      );
    } catch (err) {
      if (!isUniqueViolation(err, NICK_PER_ORG)) throw err;
      const user = await this.userById(userId);
      throw nickTaken(user?.nick ?? String(userId), 'by another member of this organization');
    }
  }

  async joinOrganization(orgId: number, userId: number): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'member') ON CONFLICT (organization_id, user_id) DO NOTHING`,
        [orgId, userId],
      );
      return rowCount === 1;
    } catch (err) {
      if (!isUniqueViolation(err, NICK_PER_ORG)) throw err;
      const user = await this.userById(userId);
      throw nickTaken(user?.nick ?? String(userId), 'by another member of this organization');
    }
  }

  async createFlow(orgId: number, name: string, accessMode: AccessMode = 'invitation', creatorId?: number): Promise<Flow> {
    const slug = requireParameterizedName(name);
    try {
      // One statement: the flow and its creator's membership exist together or not at all.
      const { rows } = await this.pool.query<FlowRow>(
        `WITH f AS (
           INSERT INTO flows (id, organization_id, name, parameterized_name, access_mode) VALUES ($1, $2, $3, $4, $5)
           RETURNING ${FLOW_COLUMNS.replace(/f\./g, '')}),
         m AS (INSERT INTO flow_members (flow_id, user_id) SELECT id, $6 FROM f WHERE $6::bigint IS NOT NULL)
         SELECT * FROM f`,
        [randomUUID(), orgId, name, slug, accessMode, creatorId ?? null],
      );
      return toFlow(rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw flowTaken(slug);
      throw err;
    }
  }

  async addFlowMember(flowId: string, userId: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO flow_members (flow_id, user_id) VALUES ($1, $2)
       ON CONFLICT (flow_id, user_id) DO UPDATE SET in_flow = true, open = true`,
      [flowId, userId],
    );
  }

  async createApiToken(userId: number): Promise<string> {
    const token = newApiToken();
    await this.pool.query('INSERT INTO api_tokens (token_hash, user_id) VALUES ($1, $2)', [hashToken(token), userId]);
    return token;
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const hash = await this.hasher.hash(password);
    const { rowCount } = await this.pool.query('UPDATE users SET password_hash = $2, password_version = password_version + 1 WHERE id = $1', [userId, hash]);
    if (!rowCount) throw notFound('user');
  }

  async setSiteAdmin(userId: number, admin: boolean): Promise<void> {
    const { rowCount } = await this.pool.query('UPDATE users SET site_admin = $2 WHERE id = $1', [userId, admin]);
    if (!rowCount) throw notFound('user');
  }

  async isSiteAdmin(userId: number): Promise<boolean> {
    const { rows } = await this.pool.query<{ site_admin: boolean }>('SELECT site_admin FROM users WHERE id = $1', [userId]);
    return rows[0]?.site_admin === true;
  }

  async authenticatePassword(email: string, password: string): Promise<PasswordMatch | null> {
    // The hash and its version from one row read: the version is the one of the hash verified.
    const { rows } = await this.pool.query<UserRow & { password_hash: string; password_version: number }>(
      `SELECT ${USER_COLUMNS}, u.password_hash, u.password_version FROM users u WHERE lower(u.email) = lower($1)`,
      [email],
    );
    const row = rows[0];
    // An unknown email is checked against a dummy hash: the answer takes as long as for a known one.
    if (!(await this.hasher.verify(password, row?.password_hash ?? null)) || !row) return null;
    return { user: toUser(row), passwordVersion: row.password_version };
  }

  async passwordVersionOf(userId: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ password_version: number }>('SELECT password_version FROM users WHERE id = $1', [userId]);
    return rows[0]?.password_version ?? null;
  }

  async authenticateToken(token: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async userById(id: number): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async userByEmail(email: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async organizationByName(parameterizedName: string): Promise<Organization | null> {
    const { rows } = await this.pool.query<OrgRow>(`SELECT ${ORG_COLUMNS} FROM organizations o WHERE o.parameterized_name = $1`, [parameterizedName]);
    return rows[0] ? toOrganization(rows[0]) : null;
  }

  async flowByPath(orgName: string, flowName: string): Promise<{ flow: Flow; organization: Organization } | null> {
    const { rows } = await this.pool.query<FlowViewRow>(
      `SELECT ${FLOW_VIEW_COLUMNS} FROM flows f JOIN organizations o ON o.id = f.organization_id
       LEFT JOIN flow_members m ON false WHERE o.parameterized_name = $1 AND f.parameterized_name = $2`,
      [orgName, flowName],
    );
    return rows[0] ? toFlowView(rows[0]) : null;
  }

  async visibleUsers(userId: number): Promise<User[]> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT DISTINCT ${USER_COLUMNS} FROM users u WHERE u.id = $1
         OR u.id IN (SELECT om.user_id FROM organization_members om JOIN organization_members me
                       ON me.organization_id = om.organization_id AND me.user_id = $1 AND me.role = 'admin')
         OR u.id IN (SELECT fm.user_id FROM flow_members fm JOIN flow_members me
                       ON me.flow_id = fm.flow_id AND me.user_id = $1 AND me.disabled = false)
       ORDER BY u.id`,
      [userId],
    );
    return rows.map(toUser);
  }

  async visibleUser(callerId: number, userId: number): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $2 AND EXISTS (
         SELECT 1 FROM organization_members a JOIN organization_members b ON a.organization_id = b.organization_id
         WHERE a.user_id = $1 AND b.user_id = $2)`,
      [callerId, userId],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async updateUser(userId: number, changes: { nick?: string; email?: string; name?: string }): Promise<User> {
    try {
      const { rows } = await this.pool.query<UserRow>(
        `UPDATE users u SET nick = COALESCE($2, nick), email = COALESCE($3, email), name = COALESCE($4, name)
         WHERE u.id = $1 RETURNING ${USER_COLUMNS}`,
        [userId, changes.nick ?? null, changes.email ?? null, changes.name ?? null],
      );
      if (!rows[0]) throw notFound('user');
      return toUser(rows[0]);
    } catch (err) {
      if (isUniqueViolation(err, NICK_PER_ORG)) throw nickTaken(changes.nick ?? '', 'in one of your organizations');
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }

  async organizationsOf(userId: number): Promise<OrgWithCounts[]> {
    const { rows } = await this.pool.query<OrgCountRow>(`${ORG_OF_USER} ORDER BY o.id`, [userId]);
    return rows.map(toOrgWithCounts);
  }

  async organizationOf(userId: number, orgName: string): Promise<OrgWithCounts | null> {
    const { rows } = await this.pool.query<OrgCountRow>(`${ORG_OF_USER} WHERE o.parameterized_name = $2`, [userId, orgName]);
    return rows[0] ? toOrgWithCounts(rows[0]) : null;
  }

  async organizationByIdOf(userId: number, orgId: number): Promise<OrgWithCounts | null> {
    const { rows } = await this.pool.query<OrgCountRow>(`${ORG_OF_USER} WHERE o.id = $2`, [userId, orgId]);
    return rows[0] ? toOrgWithCounts(rows[0]) : null;
  }

  async renameOrganization(orgId: number, name: string): Promise<void> {
    await this.pool.query('UPDATE organizations SET name = $2 WHERE id = $1', [orgId, name]);
  }

  async organizationMembers(orgId: number): Promise<OrgMember[]> {
    const { rows } = await this.pool.query<UserRow & { role: string }>(
      `SELECT ${USER_COLUMNS}, m.role FROM organization_members m JOIN users u ON u.id = m.user_id
       WHERE m.organization_id = $1 ORDER BY u.id`,
      [orgId],
    );
    return rows.map((r) => ({ ...toUser(r), admin: r.role === 'admin' }));
  }

  async removeOrganizationMember(orgId: number, userId: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'DELETE FROM flow_members WHERE user_id = $2 AND flow_id IN (SELECT id FROM flows WHERE organization_id = $1)',
        [orgId, userId],
      );
      await client.query('DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2', [orgId, userId]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async flowAccess(userId: number, locator: FlowLocator): Promise<FlowAccess | null> {
    // Named (prepared once per connection): every post and read asks this, and Postgres would
    // otherwise parse and plan the four-table join each time (about half its CPU for the query).
    const { rows } =
      'id' in locator
        ? await this.pool.query<FlowAccessRow>({ name: 'flow-access-by-id', text: FLOW_ACCESS_BY_ID, values: [userId, locator.id] })
        : await this.pool.query<FlowAccessRow>({ name: 'flow-access-by-name', text: FLOW_ACCESS_BY_NAME, values: [userId, locator.org, locator.flow] });
    return rows[0] ? toFlowAccess(rows[0]) : null;
  }

  async flowAccessList(userId: number): Promise<FlowAccess[]> {
    const { rows } = await this.pool.query<FlowAccessRow>(
      `${FLOW_ACCESS_FROM} WHERE m.user_id IS NOT NULL OR (f.access_mode = 'organization' AND om.user_id IS NOT NULL)
       ORDER BY o.id, f.name`,
      [userId],
    );
    return rows.map(toFlowAccess);
  }

  async updateFlow(flowId: string, changes: { name?: string; accessMode?: AccessMode; disabled?: boolean }): Promise<Flow> {
    const { rows } = await this.pool.query<FlowRow>(
      `UPDATE flows f SET name = COALESCE($2, name), access_mode = COALESCE($3, access_mode), disabled = COALESCE($4, disabled)
       WHERE f.id = $1 RETURNING ${FLOW_COLUMNS}`,
      [flowId, changes.name ?? null, changes.accessMode ?? null, changes.disabled ?? null],
    );
    if (!rows[0]) throw notFound('flow');
    return toFlow(rows[0]);
  }

  async setFlowOpen(flowId: string, userId: number, open: boolean): Promise<void> {
    // Opening a flow also joins it (spec §2.3: `open: true` also joins).
    await this.pool.query(
      `INSERT INTO flow_members (flow_id, user_id, open) VALUES ($1, $2, $3)
       ON CONFLICT (flow_id, user_id) DO UPDATE SET open = EXCLUDED.open, in_flow = flow_members.in_flow OR EXCLUDED.open`,
      [flowId, userId, open],
    );
  }

  async setFlowMemberDisabled(flowId: string, userId: number, disabled: boolean): Promise<void> {
    const r = await this.pool.query('UPDATE flow_members SET disabled = $3 WHERE flow_id = $1 AND user_id = $2', [flowId, userId, disabled]);
    if (r.rowCount === 0) throw notFound('flow user');
  }

  async flowUsers(flowId: string): Promise<FlowUser[]> {
    const { rows } = await this.pool.query<UserRow & { disabled: boolean; in_flow: boolean }>(
      `SELECT ${USER_COLUMNS}, m.disabled, m.in_flow FROM flow_members m JOIN users u ON u.id = m.user_id
       WHERE m.flow_id = $1 ORDER BY u.id`,
      [flowId],
    );
    return rows.map((r) => ({ ...toUser(r), disabled: r.disabled, inFlow: r.in_flow }));
  }

  async flowMemberIds(flowId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      'SELECT user_id FROM flow_members WHERE flow_id = $1 AND disabled = false AND in_flow = true',
      [flowId],
    );
    return rows.map((r) => Number(r.user_id));
  }

  async privateConversationsOf(userId: number): Promise<PrivateConversationState[]> {
    const { rows } = await this.pool.query<{ other_user_id: string; open: boolean }>(
      'SELECT other_user_id, open FROM private_conversations WHERE user_id = $1 ORDER BY other_user_id',
      [userId],
    );
    return rows.map((r) => ({ userId, otherUserId: Number(r.other_user_id), open: r.open }));
  }

  async ensurePrivateConversation(userId: number, otherUserId: number): Promise<PrivateConversationState> {
    await this.pool.query(
      `INSERT INTO private_conversations (user_id, other_user_id) VALUES ($1, $2), ($2, $1) ON CONFLICT DO NOTHING`,
      [userId, otherUserId],
    );
    const { rows } = await this.pool.query<{ open: boolean }>(
      'SELECT open FROM private_conversations WHERE user_id = $1 AND other_user_id = $2',
      [userId, otherUserId],
    );
    return { userId, otherUserId, open: rows[0]?.open ?? false };
  }

  async setPrivateConversationOpen(userId: number, otherUserId: number, open: boolean): Promise<void> {
    await this.ensurePrivateConversation(userId, otherUserId);
    await this.pool.query('UPDATE private_conversations SET open = $3 WHERE user_id = $1 AND other_user_id = $2', [userId, otherUserId, open]);
  }

  async close(): Promise<void> {
    // The pool is owned by whoever built it.
  }
}
