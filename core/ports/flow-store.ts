/**
 * FlowStore: flows, their members, and the facts about a caller that the access policy
 * (core/access/flow-policy.ts) decides on. The store never decides visibility itself.
 */
import type { AccessMode, Flow, FlowMembership, Organization, User } from '../domain/types';

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

/** A user with a membership row in a flow, whatever its state. */
export interface FlowUser extends User {
  disabled: boolean;
  inFlow: boolean;
}

export interface FlowStore {
  /**
   * Access mode defaults to invitation. With `creatorId`, the creator becomes its first member in
   * the same write. Throws VALIDATION_FAILED for a name with no letter or digit, CONFLICT when the
   * organization already has a flow of that parameterized name.
   */
  createFlow(orgId: number, name: string, accessMode?: AccessMode, creatorId?: number): Promise<Flow>;
  /** Joins the user (open, in the flow); a disabled membership stays disabled. */
  addFlowMember(flowId: string, userId: number): Promise<void>;
  flowByPath(orgName: string, flowName: string): Promise<{ flow: Flow; organization: Organization } | null>;
  /** The flow with the caller's facts, whoever the caller is; null only when no such flow exists. */
  flowAccess(userId: number, locator: FlowLocator): Promise<FlowAccess | null>;
  /**
   * Candidate flows for the caller's lists, with their facts: every flow the caller has a
   * membership row in, plus the organization-mode flows of the caller's organizations; by
   * organization id, then flow name.
   */
  flowAccessList(userId: number): Promise<FlowAccess[]>;
  /** Changes the fields given (the parameterized name stays); throws NOT_FOUND for an unknown flow. */
  updateFlow(flowId: string, changes: { name?: string; accessMode?: AccessMode; disabled?: boolean }): Promise<Flow>;
  /** Shows or hides the flow's tab; opening also joins (spec §2.3), and a first call creates the membership. */
  setFlowOpen(flowId: string, userId: number, open: boolean): Promise<void>;
  /** Throws NOT_FOUND when the user has no membership row in the flow. */
  setFlowMemberDisabled(flowId: string, userId: number, disabled: boolean): Promise<void>;
  /** Every user with a membership row, by id. */
  flowUsers(flowId: string): Promise<FlowUser[]>;
  /** User ids of the flow's active members (in the flow, not disabled): for mentions and unread markers. */
  flowMemberIds(flowId: string): Promise<number[]>;
}
