/**
 * Directory: the relational side (organizations, users, memberships, flows, API tokens, app sessions, private
 * conversations), one store per entity composed into one port. Lookups for a caller go *through*
 * the caller's memberships: a flow the caller cannot see is simply not found. Every
 * implementation passes core/contracts/directory.contract.ts.
 */
import type { CredentialStore } from './credential-store';
import type { FlowStore } from './flow-store';
import type { OrganizationStore } from './organization-store';
import type { PrivateConversationStore } from './private-conversation-store';
import type { ReadMarkerStore } from './read-marker-store';
import type { SessionStore } from './session-store';
import type { UserStore } from './user-store';

export type { CredentialStore } from './credential-store';
export type { FlowAccess, FlowLocator, FlowStore, FlowUser, FlowView } from './flow-store';
export type { MemberOrganization, OrgMember, OrganizationStore } from './organization-store';
export type { PrivateConversationState, PrivateConversationStore } from './private-conversation-store';
export type { NewSession, SessionStore } from './session-store';
export type { ReadMarkerStore } from './read-marker-store';
export type { NewUser, UserStore } from './user-store';

export interface Directory extends OrganizationStore, UserStore, CredentialStore, SessionStore, FlowStore, PrivateConversationStore, ReadMarkerStore {
  close(): Promise<void>;
}
