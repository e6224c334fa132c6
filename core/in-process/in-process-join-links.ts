/** The in-process JoinLinkStore the InProcessDirectory exposes: link tokens by flow id. */
import type { AccessMode } from '../domain/types';
import type { JoinLinkStore } from '../ports/join-link-store';

export class InProcessJoinLinks implements JoinLinkStore {
  private readonly tokens = new Map<string, string>();

  /** `accessModeOf` is the directory's own lookup of a flow's mode (undefined for no such flow). */
  constructor(private readonly accessModeOf: (flowId: string) => AccessMode | undefined) {}

  async tokenOf(flowId: string): Promise<string | null> {
    return this.accessModeOf(flowId) === 'link' ? (this.tokens.get(flowId) ?? null) : null;
  }

  async replace(flowId: string, token: string): Promise<boolean> {
    if (this.accessModeOf(flowId) !== 'link') return false;
    this.tokens.set(flowId, token);
    return true;
  }

  async remove(flowId: string): Promise<boolean> {
    return this.tokens.delete(flowId);
  }

  /** What Postgres' trigger does: the directory calls it when a flow leaves link mode, in the same step. */
  forget(flowId: string): void {
    this.tokens.delete(flowId);
  }
}
