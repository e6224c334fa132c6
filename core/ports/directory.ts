/**
 * Directory: the relational side (organizations, users, memberships, flows, API tokens, app sessions, site admins, private
 * conversations), one store per entity composed into one port. Lookups for a caller go *through*
 * the caller's memberships: a flow the caller cannot see is simply not found. Every
 * implementation passes core/contracts/directory.contract.ts.
 */
import type { CredentialStore } from './credential-store';
import type { FlowStore } from './flow-store';
import type { InvitationStore } from './invitation-store';
import type { JoinLinkStore } from './join-link-store';
import type { OrganizationStore } from './organization-store';
import type { PrivateConversationStore } from './private-conversation-store';
import type { ReadMarkerStore } from './read-marker-store';
import type { SessionStore } from './session-store';
import type { SiteAdminStore } from './site-admin-store';
import type { SourceStore } from './source-store';
import type { UserStore } from './user-store';

export type { CredentialStore } from './credential-store';
export type { FlowAccess, FlowLocator, FlowStore, FlowUser, FlowView } from './flow-store';
export type { MemberOrganization, OrgMember, OrganizationStore } from './organization-store';
export type { PrivateConversationState, PrivateConversationStore } from './private-conversation-store';
export type { NewSession, SessionStore } from './session-store';
export type { SiteAdminStore } from './site-admin-store';
export type { ReadMarkerStore } from './read-marker-store';
export type { NewUser, UserStore } from './user-store';
export type { SourceByToken, SourceStore } from './source-store';
export type { JoinLinkStore } from './join-link-store';

export interface Directory extends OrganizationStore, UserStore, CredentialStore, SiteAdminStore, FlowStore, PrivateConversationStore {
  /** The app's login sessions (docs/adr/014-app-sessions.md): a store of its own, on the same database. */
  readonly sessions: SessionStore;
  /** How far each user has read in each conversation: a store of its own, on the same database. */
  readonly readMarkers: ReadMarkerStore;
  /** Integration sources and their flow tokens: a store of its own, on the same database. */
  readonly sources: SourceStore;
  /** Invitations to flows and the hashes of their link tokens. */
  readonly invitations: InvitationStore;
  /** Link-mode flows' secret join links. */
  readonly joinLinks: JoinLinkStore;
  close(): Promise<void>;
}
