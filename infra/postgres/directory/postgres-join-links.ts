/** The Postgres JoinLinkStore (table `flow_join_links`, migration 016; its trigger turns a link off when the flow leaves link mode). */
import type pg from 'pg';
import type { JoinLinkStore } from '../../../core/ports/join-link-store';

export class PostgresJoinLinks implements JoinLinkStore {
  constructor(private readonly pool: pg.Pool) {}

  async tokenOf(flowId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ token: string }>(
      `SELECT l.token FROM flow_join_links l JOIN flows f ON f.id = l.flow_id WHERE l.flow_id = $1 AND f.access_mode = 'link'`,
      [flowId],
    );
    return rows[0]?.token ?? null;
  }

  async replace(flowId: string, token: string, creatorId: number): Promise<boolean> {
    // FOR SHARE: a concurrent change of the access mode either waits for this write (and its trigger
    // then removes the link) or goes first (and this row no longer qualifies).
    const { rowCount } = await this.pool.query(
      `INSERT INTO flow_join_links (flow_id, token, created_by)
       SELECT id, $2, $3 FROM flows WHERE id = $1 AND access_mode = 'link' FOR SHARE
       ON CONFLICT (flow_id) DO UPDATE SET token = EXCLUDED.token, created_by = EXCLUDED.created_by, created_at = now()`,
      [flowId, token, creatorId],
    );
    return rowCount === 1;
  }

  async remove(flowId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM flow_join_links WHERE flow_id = $1', [flowId]);
    return rowCount === 1;
  }
}
