/** OrganizationStore: organizations and who belongs to them (the directory's organization side). */
import type { Organization, User } from '../domain/types';

/** A member of an organization, with their role in it. */
export interface OrgMember extends User {
  admin: boolean;
}

/** An organization as one of its members sees it: its size and the member's role. */
export type MemberOrganization = Organization & { userCount: number; admin: boolean };

export interface OrganizationStore {
  /** Throws VALIDATION_FAILED when the name has no letter or digit, CONFLICT when its parameterized name is taken. */
  createOrganization(name: string): Promise<Organization>;
  /** Adds the user, or changes the role of a member. Throws CONFLICT (409) when another member already uses the user's nick, whatever the case. */
  addOrganizationMember(orgId: number, userId: number, admin: boolean): Promise<void>;
  /**
   * Joining from a link or an invitation: adds the user as a non-admin member unless they are one
   * already, whose role then stays as it is (unlike addOrganizationMember). True when added.
   * Throws CONFLICT (409) as addOrganizationMember does.
   */
  joinOrganization(orgId: number, userId: number): Promise<boolean>;
  organizationByName(parameterizedName: string): Promise<Organization | null>;
  /** The caller's organizations, by id. */
  organizationsOf(userId: number): Promise<MemberOrganization[]>;
  /** One of the caller's organizations by parameterized name; null when the caller is not a member. */
  organizationOf(userId: number, orgName: string): Promise<MemberOrganization | null>;
  /** One of the caller's organizations by id; null when the caller is not a member. */
  organizationByIdOf(userId: number, orgId: number): Promise<MemberOrganization | null>;
  /** Changes the display name only: the parameterized name (the URL) stays. */
  renameOrganization(orgId: number, name: string): Promise<void>;
  /** Members by user id. */
  organizationMembers(orgId: number): Promise<OrgMember[]>;
  /** Removes the member and, in the same write, their memberships of the organization's flows. */
  removeOrganizationMember(orgId: number, userId: number): Promise<void>;
}
