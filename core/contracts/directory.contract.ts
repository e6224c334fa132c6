/**
 * The behaviours every Directory implementation must have (PostgresDirectory, InProcessDirectory):
 * one jest suite per entity store, run by each implementation's test file.
 */
import { PasswordHasher } from '../passwords';
import type { Directory } from '../ports/directory';
import { credentialStoreContract } from './directory-credentials.contract';
import { flowStoreContract } from './directory-flows.contract';
import { organizationStoreContract } from './directory-organizations.contract';
import { privateConversationStoreContract } from './directory-private.contract';
import { readMarkerStoreContract } from './directory-read-markers.contract';
import { sessionStoreContract } from './directory-sessions.contract';
import { siteAdminStoreContract } from './directory-site-admins.contract';
import { invitationStoreContract } from './directory-invitations.contract';
import { joinLinkStoreContract } from './directory-join-links.contract';
import { sourceStoreContract } from './directory-sources.contract';
import { userStoreContract } from './directory-users.contract';

/** What an implementation's test file hands the contract: a directory and how to dispose of it. */
export interface DirectoryHarness {
  directory: Directory;
  teardown(): Promise<void>;
}

/** How the sections reach the suite's directory and hasher once `beforeAll` has made them. */
export interface DirectoryContext {
  directory(): Directory;
  hasher(): PasswordHasher;
}

/**
 * Registers the contract suite. `make` runs once for the suite with the hasher the directory must
 * use (a cheap scrypt cost, so that creating many accounts stays fast); every test creates
 * organizations, users and flows of its own, so tests never see each other's data.
 */
export function directoryContract(name: string, make: (hasher: PasswordHasher) => Promise<DirectoryHarness>): void {
  describe(`Directory contract: ${name}`, () => {
    let h: DirectoryHarness;
    const hasher = new PasswordHasher({ cost: 1024, maxConcurrent: 4 });
    beforeAll(async () => {
      h = await make(hasher);
    });
    afterAll(async () => {
      await h?.directory.close();
      await h?.teardown();
    });
    const context: DirectoryContext = { directory: () => h.directory, hasher: () => hasher };
    describe('organizations', () => organizationStoreContract(context));
    describe('users', () => userStoreContract(context));
    describe('credentials', () => credentialStoreContract(context));
    describe('sessions', () => sessionStoreContract(context));
    describe('site admins', () => siteAdminStoreContract(context));
    describe('flows', () => flowStoreContract(context));
    describe('private conversations', () => privateConversationStoreContract(context));
    describe('sources', () => sourceStoreContract(context));
    describe('invitations', () => invitationStoreContract(context));
    describe('join links', () => joinLinkStoreContract(context));
    describe('read markers', () => readMarkerStoreContract(context));
  });
}
