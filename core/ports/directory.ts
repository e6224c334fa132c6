/**
 * Directory: the relational side (organizations, users, memberships, flows, API tokens, private
 * conversations). Lookups for a caller go *through* the caller's memberships: a flow the caller
 * cannot see is simply not found.
 */
import type { AccessMode, Flow, FlowMembership, Organization, User } from '../domain/types';

export interface NewUser {
  email: string;
  password: string;
  name?: string;
  nick?: string;
}

export interface OrgMember extends User {
  admin: boolean;
}

/** A flow as seen by one user: the flow, its organization and the caller's membership (if any). */
export interface FlowView {
  flow: Flow;
  organization: Organization;
  membership: FlowMembership | null;
}

/**
 * One flow and what the directory knows about one caller there: the facts the access policy
 * (core/access/flow-policy.ts) decides on. The directory never decides visibility itself.
 */
export interface FlowAccess extends FlowView {
  /** The caller's role in the flow's organization; null when not a member of it. */
  orgRole: 'admin' | 'member' | null;
}

/** A flow named by its id or by its organization's and its own parameterized names. */
export type FlowLocator = { id: string } | { org: string; flow: string };

export interface FlowUser extends User {
  disabled: boolean;
  inFlow: boolean;
}

export interface PrivateConversationState {
  userId: number;
  otherUserId: number;
  open: boolean;
}

export interface Directory {
  createOrganization(name: string): Promise<Organization>;
  createUser(input: NewUser): Promise<User>;
  addOrganizationMember(orgId: number, userId: number, admin: boolean): Promise<void>;
  /** With `creatorId`, the creator becomes its first member in the same write. */
  createFlow(orgId: number, name: string, accessMode?: AccessMode, creatorId?: number): Promise<Flow>;
  addFlowMember(flowId: string, userId: number): Promise<void>;
  /** Returns the plain token once; only its hash is stored. */
  createApiToken(userId: number): Promise<string>;

  authenticatePassword(email: string, password: string): Promise<User | null>;
  authenticateToken(token: string): Promise<User | null>;

  userById(id: number): Promise<User | null>;
  userByEmail(email: string): Promise<User | null>;
  organizationByName(parameterizedName: string): Promise<Organization | null>;
  flowByPath(orgName: string, flowName: string): Promise<{ flow: Flow; organization: Organization } | null>;

  /** Users the caller may see: org-mates (admin) or flow-mates. */
  visibleUsers(userId: number): Promise<User[]>;
  /** A user the caller shares an organization with, else null. */
  visibleUser(callerId: number, userId: number): Promise<User | null>;
  updateUser(userId: number, changes: { nick?: string; email?: string; name?: string }): Promise<User>;

  organizationsOf(userId: number): Promise<(Organization & { userCount: number; admin: boolean })[]>;
  organizationOf(userId: number, orgName: string): Promise<(Organization & { userCount: number; admin: boolean }) | null>;
  organizationByIdOf(userId: number, orgId: number): Promise<(Organization & { userCount: number; admin: boolean }) | null>;
  renameOrganization(orgId: number, name: string): Promise<void>;
  organizationMembers(orgId: number): Promise<OrgMember[]>;
  removeOrganizationMember(orgId: number, userId: number): Promise<void>;

  /** The flow with the caller's facts, whoever the caller is; null only when no such flow exists. */
  flowAccess(userId: number, locator: FlowLocator): Promise<FlowAccess | null>;
  /**
   * Candidate flows for the caller's lists, with their facts: every flow the caller has a
   * membership row in, plus the organization-mode flows of the caller's organizations.
   */
  flowAccessList(userId: number): Promise<FlowAccess[]>;
  updateFlow(flowId: string, changes: { name?: string; accessMode?: AccessMode; disabled?: boolean }): Promise<Flow>;
  setFlowOpen(flowId: string, userId: number, open: boolean): Promise<void>;
  setFlowMemberDisabled(flowId: string, userId: number, disabled: boolean): Promise<void>;
  flowUsers(flowId: string): Promise<FlowUser[]>;
  /** User ids of the flow's active members (for mention resolution and unread markers). */
  flowMemberIds(flowId: string): Promise<number[]>;

  privateConversationsOf(userId: number): Promise<PrivateConversationState[]>;
  /** Creates a closed conversation if none exists (spec §2.6). */
  ensurePrivateConversation(userId: number, otherUserId: number): Promise<PrivateConversationState>;
  setPrivateConversationOpen(userId: number, otherUserId: number, open: boolean): Promise<void>;

  close(): Promise<void>;
}
