/**
 * JoinLinkStore: the secret join link of each link-mode flow (docs/adr/030-join-links.md). The token
 * is kept as made (members see the link again); core/auth/join-link-tokens.ts makes and compares it.
 * Every implementation passes core/contracts/directory-join-links.contract.ts.
 */
export interface JoinLinkStore {
  /** The flow's link token; null when it has none, or is not in link mode. */
  tokenOf(flowId: string): Promise<string | null>;
  /**
   * Gives the flow a link with `token`, replacing its old one at once. False, and nothing kept, when
   * the flow is not in link mode (or does not exist). Leaving link mode turns the link off in the
   * same write as the mode change, so switching back never revives an old link.
   */
  replace(flowId: string, token: string, creatorId: number): Promise<boolean>;
  /** Turns the link off; false when there was none. */
  remove(flowId: string): Promise<boolean>;
}
