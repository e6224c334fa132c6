/**
 * InProcessDirectory: the Directory in memory, for the embedded mode's tests and every unit test
 * that needs organizations, users and flows without Postgres. It passes the same contract suite
 * as PostgresDirectory (core/contracts/directory.contract.ts), rules and errors included.
 */
import { randomUUID } from 'node:crypto';
import { hashApiToken, newApiToken } from '../auth/api-tokens';
import type { AccessMode, Flow, FlowMembership, Organization, User } from '../domain/types';
import { emailTaken, flowTaken, nickTaken, organizationTaken, requireParameterizedName, userEmailTaken } from '../directory-rules';
import { notFound } from '../errors';
import { nickFrom } from '../names';
import { PasswordHasher } from '../passwords';
import type {
  Directory, FlowAccess, FlowLocator, FlowUser, MemberOrganization, NewUser, OrgMember, PrivateConversationState,
} from '../ports/directory';
import type { PasswordMatch } from '../ports/credential-store';
import { InProcessSessions } from './in-process-sessions';
import { InProcessInvitations } from './in-process-invitations';
import { InProcessJoinLinks } from './in-process-join-links';
import { InProcessSources } from './in-process-sources';
import { InProcessReadMarkers } from './in-process-read-markers';

type Role = 'admin' | 'member';
type MemberState = Omit<FlowMembership, 'flowId' | 'userId'>;

const byId = (a: { id: number }, b: { id: number }): number => a.id - b.id;
/** Code-point order, as Postgres' C collation sorts flow names. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const copy = <T extends { createdAt: Date }>(row: T): T => ({ ...row, createdAt: new Date(row.createdAt) });

/** The state of one in-process directory: tables keyed as the Postgres ones are. */
export class InProcessDirectory implements Directory {
  private nextOrgId = 1;
  private nextUserId = 1;
  private readonly organizations = new Map<number, Organization>();
  private readonly users = new Map<number, { user: User; passwordHash: string; passwordVersion: number }>();
  /** organization id → user id → role */
  private readonly orgMembers = new Map<number, Map<number, Role>>();
  private readonly flows = new Map<string, Flow>();
  /** flow id → user id → membership */
  private readonly flowMembers = new Map<string, Map<number, MemberState>>();
  /** token hash → user id */
  private readonly tokens = new Map<string, number>();
  /** `user:other` → open */
  private readonly privates = new Map<string, boolean>();
  private readonly siteAdmins = new Set<number>();

  readonly sessions = new InProcessSessions(async (id) => {
    const row = this.users.get(id);
    return row ? { user: copy(row.user), passwordVersion: row.passwordVersion } : null;
  });
  readonly sources = new InProcessSources(async (flowId, userId) => this.flows.has(flowId) && this.users.has(userId));
  readonly readMarkers = new InProcessReadMarkers((id) => this.users.has(id));
  readonly invitations = new InProcessInvitations(async (flowId, userId) => this.flows.has(flowId) && this.users.has(userId));
  readonly joinLinks = new InProcessJoinLinks((flowId) => this.flows.get(flowId)?.accessMode);

  /** `hasher` bounds concurrent scrypt work; its default allows 2 at once. */
  constructor(private readonly hasher: PasswordHasher = new PasswordHasher()) {}

  async createOrganization(name: string): Promise<Organization> {
    const slug = requireParameterizedName(name);
    if (this.orgBySlug(slug)) throw organizationTaken(slug);
    const org: Organization = { id: this.nextOrgId++, name, parameterizedName: slug, createdAt: new Date() };
    this.organizations.set(org.id, org);
    this.orgMembers.set(org.id, new Map());
    return copy(org);
  }

  async createUser(input: NewUser): Promise<User> {
    const passwordHash = await this.hasher.hash(input.password);
    const nick = input.nick ?? nickFrom(input.name ?? input.email);
    if (this.userRowByEmail(input.email)) throw userEmailTaken(input.email);
    const user: User = { id: this.nextUserId++, email: input.email, name: input.name ?? nick, nick, avatar: null, website: null, createdAt: new Date() };
    this.users.set(user.id, { user, passwordHash, passwordVersion: 0 });
    return copy(user);
  }

  async addOrganizationMember(orgId: number, userId: number, admin: boolean): Promise<void> {
    const members = this.orgMembersOf(orgId);
    const user = this.userRow(userId).user;
    if (!members.has(userId) && this.nickUsedIn(orgId, user.nick, userId)) throw nickTaken(user.nick, 'by another member of this organization');
    members.set(userId, admin ? 'admin' : 'member');
  }

  async joinOrganization(orgId: number, userId: number): Promise<boolean> {
    if (this.orgMembersOf(orgId).has(userId)) return false;
    await this.addOrganizationMember(orgId, userId, false);
    return true;
  }

  async createFlow(orgId: number, name: string, accessMode: AccessMode = 'invitation', creatorId?: number): Promise<Flow> {
    const slug = requireParameterizedName(name);
    this.orgMembersOf(orgId);
    if (creatorId !== undefined) this.userRow(creatorId);
    if ([...this.flows.values()].some((f) => f.organizationId === orgId && f.parameterizedName === slug)) throw flowTaken(slug);
    const flow: Flow = { id: randomUUID(), organizationId: orgId, name, parameterizedName: slug, accessMode, disabled: false, createdAt: new Date() };
    this.flows.set(flow.id, flow);
    this.flowMembers.set(flow.id, new Map());
    if (creatorId !== undefined) this.flowMembersOf(flow.id).set(creatorId, { open: true, disabled: false, inFlow: true });
    return copy(flow);
  }

  async addFlowMember(flowId: string, userId: number): Promise<void> {
    const members = this.flowMembersOf(flowId);
    this.userRow(userId);
    members.set(userId, { disabled: false, ...members.get(userId), open: true, inFlow: true });
  }

  async createApiToken(userId: number): Promise<string> {
    this.userRow(userId);
    const token = newApiToken();
    this.tokens.set(hashApiToken(token), userId);
    return token;
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const row = this.users.get(userId);
    if (!row) throw notFound('user');
    row.passwordHash = await this.hasher.hash(password);
    row.passwordVersion++;
  }

  async setSiteAdmin(userId: number, admin: boolean): Promise<void> {
    if (!this.users.has(userId)) throw notFound('user');
    if (admin) this.siteAdmins.add(userId);
    else this.siteAdmins.delete(userId);
  }

  async isSiteAdmin(userId: number): Promise<boolean> {
    return this.siteAdmins.has(userId);
  }

  async authenticatePassword(email: string, password: string): Promise<PasswordMatch | null> {
    const row = this.userRowByEmail(email);
    // Read with the hash: the version of the password verified, whatever changes during the check.
    const passwordVersion = row?.passwordVersion ?? 0;
    // An unknown email is checked against a dummy hash: the answer takes as long as for a known one.
    if (!(await this.hasher.verify(password, row?.passwordHash ?? null)) || !row) return null;
    return { user: copy(row.user), passwordVersion };
  }

  async passwordVersionOf(userId: number): Promise<number | null> {
    return this.users.get(userId)?.passwordVersion ?? null;
  }

  async authenticateToken(token: string): Promise<User | null> {
    const userId = this.tokens.get(hashApiToken(token));
    return userId === undefined ? null : this.userById(userId);
  }

  async userById(id: number): Promise<User | null> {
    const row = this.users.get(id);
    return row ? copy(row.user) : null;
  }

  async userByEmail(email: string): Promise<User | null> {
    const row = this.userRowByEmail(email);
    return row ? copy(row.user) : null;
  }

  async organizationByName(parameterizedName: string): Promise<Organization | null> {
    const org = this.orgBySlug(parameterizedName);
    return org ? copy(org) : null;
  }

  async flowByPath(orgName: string, flowName: string): Promise<{ flow: Flow; organization: Organization } | null> {
    const flow = this.flowBySlugs(orgName, flowName);
    return flow ? { flow: copy(flow), organization: copy(this.organizations.get(flow.organizationId)!) } : null;
  }

  async visibleUsers(userId: number): Promise<User[]> {
    const ids = new Set<number>([userId]);
    for (const members of this.orgMembers.values()) {
      if (members.get(userId) === 'admin') for (const id of members.keys()) ids.add(id);
    }
    for (const members of this.flowMembers.values()) {
      const mine = members.get(userId);
      if (mine && !mine.disabled) for (const id of members.keys()) ids.add(id);
    }
    return [...ids].flatMap((id) => this.users.get(id)?.user ?? []).sort(byId).map(copy);
  }

  async visibleUser(callerId: number, userId: number): Promise<User | null> {
    const shared = [...this.orgMembers.values()].some((m) => m.has(callerId) && m.has(userId));
    return shared ? this.userById(userId) : null;
  }

  async updateUser(userId: number, changes: { nick?: string; email?: string; name?: string }): Promise<User> {
    const row = this.users.get(userId);
    if (!row) throw notFound('user');
    const { nick, email, name } = changes;
    const other = email === undefined ? undefined : this.userRowByEmail(email);
    if (other && other.user.id !== userId) throw emailTaken();
    if (nick !== undefined && nick.toLowerCase() !== row.user.nick.toLowerCase()) {
      const clash = [...this.orgMembers.entries()].some(([orgId, m]) => m.has(userId) && this.nickUsedIn(orgId, nick, userId));
      if (clash) throw nickTaken(nick, 'in one of your organizations');
    }
    row.user = { ...row.user, nick: nick ?? row.user.nick, email: email ?? row.user.email, name: name ?? row.user.name };
    return copy(row.user);
  }

  async organizationsOf(userId: number): Promise<MemberOrganization[]> {
    return [...this.orgMembers.keys()].sort((a, b) => a - b).flatMap((orgId) => this.memberOrganization(userId, orgId) ?? []);
  }

  async organizationOf(userId: number, orgName: string): Promise<MemberOrganization | null> {
    const org = this.orgBySlug(orgName);
    return org ? this.memberOrganization(userId, org.id) : null;
  }

  async organizationByIdOf(userId: number, orgId: number): Promise<MemberOrganization | null> {
    return this.memberOrganization(userId, orgId);
  }

  async renameOrganization(orgId: number, name: string): Promise<void> {
    const org = this.organizations.get(orgId);
    if (org) this.organizations.set(orgId, { ...org, name });
  }

  async organizationMembers(orgId: number): Promise<OrgMember[]> {
    const members = this.orgMembers.get(orgId) ?? new Map<number, Role>();
    return [...members].map(([id, role]) => ({ ...copy(this.userRow(id).user), admin: role === 'admin' })).sort(byId);
  }

  async removeOrganizationMember(orgId: number, userId: number): Promise<void> {
    for (const flow of this.flows.values()) if (flow.organizationId === orgId) this.flowMembersOf(flow.id).delete(userId);
    this.orgMembers.get(orgId)?.delete(userId);
  }

  async flowAccess(userId: number, locator: FlowLocator): Promise<FlowAccess | null> {
    const flow = 'id' in locator ? this.flows.get(locator.id) : this.flowBySlugs(locator.org, locator.flow);
    return flow ? this.access(userId, flow) : null;
  }

  async flowAccessList(userId: number): Promise<FlowAccess[]> {
    const candidates = [...this.flows.values()].filter(
      (f) => this.flowMembersOf(f.id).has(userId) || (f.accessMode === 'organization' && this.orgMembersOf(f.organizationId).has(userId)),
    );
    candidates.sort((a, b) => a.organizationId - b.organizationId || byText(a.name, b.name));
    return candidates.map((f) => this.access(userId, f));
  }

  async updateFlow(flowId: string, changes: { name?: string; accessMode?: AccessMode; disabled?: boolean }): Promise<Flow> {
    const flow = this.flows.get(flowId);
    if (!flow) throw notFound('flow');
    const updated = { ...flow, name: changes.name ?? flow.name, accessMode: changes.accessMode ?? flow.accessMode, disabled: changes.disabled ?? flow.disabled };
    this.flows.set(flowId, updated);
    if (updated.accessMode !== 'link') this.joinLinks.forget(flowId);
    return copy(updated);
  }

  async setFlowOpen(flowId: string, userId: number, open: boolean): Promise<void> {
    const members = this.flowMembersOf(flowId);
    this.userRow(userId);
    const current = members.get(userId);
    // Opening a flow also joins it (spec §2.3); a first call creates a membership that is in the flow.
    members.set(userId, current ? { ...current, open, inFlow: current.inFlow || open } : { open, disabled: false, inFlow: true });
  }

  async setFlowMemberDisabled(flowId: string, userId: number, disabled: boolean): Promise<void> {
    const current = this.flowMembers.get(flowId)?.get(userId);
    if (!current) throw notFound('flow user');
    current.disabled = disabled;
  }

  async flowUsers(flowId: string): Promise<FlowUser[]> {
    const members = this.flowMembers.get(flowId) ?? new Map<number, MemberState>();
    return [...members]
      .map(([id, m]) => ({ ...copy(this.userRow(id).user), disabled: m.disabled, inFlow: m.inFlow }))
      .sort(byId);
  }

  async flowMemberIds(flowId: string): Promise<number[]> {
    const members = this.flowMembers.get(flowId) ?? new Map<number, MemberState>();
    return [...members].filter(([, m]) => !m.disabled && m.inFlow).map(([id]) => id);
  }

  async privateConversationsOf(userId: number): Promise<PrivateConversationState[]> {
    const mine: PrivateConversationState[] = [];
    for (const [key, open] of this.privates) {
      const [user, other] = key.split(':').map(Number) as [number, number];
      if (user === userId) mine.push({ userId, otherUserId: other, open });
    }
    return mine.sort((a, b) => a.otherUserId - b.otherUserId);
  }

  async ensurePrivateConversation(userId: number, otherUserId: number): Promise<PrivateConversationState> {
    this.userRow(userId);
    this.userRow(otherUserId);
    for (const key of [`${userId}:${otherUserId}`, `${otherUserId}:${userId}`]) if (!this.privates.has(key)) this.privates.set(key, false);
    return { userId, otherUserId, open: this.privates.get(`${userId}:${otherUserId}`)! };
  }

  async setPrivateConversationOpen(userId: number, otherUserId: number, open: boolean): Promise<void> {
    await this.ensurePrivateConversation(userId, otherUserId);
    this.privates.set(`${userId}:${otherUserId}`, open);
  }

  async close(): Promise<void> {}

  /** A missing row is a caller's bug (Postgres reports a foreign key violation), not an answer. */
  private userRow(id: number): { user: User; passwordHash: string } {
    const row = this.users.get(id);
    if (!row) throw new Error(`no user ${id}`);
    return row;
  }

  private orgMembersOf(orgId: number): Map<number, Role> {
    const members = this.orgMembers.get(orgId);
    if (!members) throw new Error(`no organization ${orgId}`);
    return members;
  }

  private flowMembersOf(flowId: string): Map<number, MemberState> {
    const members = this.flowMembers.get(flowId);
    if (!members) throw new Error(`no flow ${flowId}`);
    return members;
  }

  private userRowByEmail(email: string) {
    const lower = email.toLowerCase();
    return [...this.users.values()].find((r) => r.user.email.toLowerCase() === lower);
  }

  private orgBySlug(slug: string): Organization | undefined {
    return [...this.organizations.values()].find((o) => o.parameterizedName === slug);
  }

  private flowBySlugs(orgName: string, flowName: string): Flow | undefined {
    const org = this.orgBySlug(orgName);
    return org && [...this.flows.values()].find((f) => f.organizationId === org.id && f.parameterizedName === flowName);
  }

  /** Whether another member of the organization has this nick, whatever the case. */
  private nickUsedIn(orgId: number, nick: string, userId: number): boolean {
    const lower = nick.toLowerCase();
    return [...this.orgMembersOf(orgId).keys()].some((id) => id !== userId && this.userRow(id).user.nick.toLowerCase() === lower);
  }

  private memberOrganization(userId: number, orgId: number): MemberOrganization | null {
    const members = this.orgMembers.get(orgId);
    const role = members?.get(userId);
    if (!members || !role) return null;
    return { ...copy(this.organizations.get(orgId)!), userCount: members.size, admin: role === 'admin' };
  }

  private access(userId: number, flow: Flow): FlowAccess {
    const m = this.flowMembersOf(flow.id).get(userId);
    return {
      flow: copy(flow),
      organization: copy(this.organizations.get(flow.organizationId)!),
      membership: m ? { flowId: flow.id, userId, open: m.open, disabled: m.disabled, inFlow: m.inFlow } : null,
      orgRole: this.orgMembersOf(flow.organizationId).get(userId) ?? null,
    };
  }
}
