/**
 * SiteAdminStore: which users administer the whole site (the failover page, docs/app.md), as opposed
 * to an organization's admins. Set only from the command line (`tributary user set-admin`); no API
 * grants it. docs/adr/017-markdown-and-site-admins.md.
 */
export interface SiteAdminStore {
  /** Grants or withdraws site administration; throws NOT_FOUND for an unknown user. */
  setSiteAdmin(userId: number, admin: boolean): Promise<void>;
  /** False for an unknown user. */
  isSiteAdmin(userId: number): Promise<boolean>;
}
