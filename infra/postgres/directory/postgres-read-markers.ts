/** The Postgres ReadMarkerStore behind `PostgresDirectory.readMarkers`: table `read_markers` (migration 001 made it; nothing used it before), one row per user and conversation. */
import type { Pool } from 'pg';
import type { ConversationKey } from '../../../core/domain/types';
import { notFound } from '../../../core/errors';
import type { ReadMarkerStore } from '../../../core/ports/read-marker-store';
import { requireMessageId } from '../../../core/read-markers';

export class PostgresReadMarkers implements ReadMarkerStore {
  constructor(private readonly pool: Pool) {}

  async markRead(userId: number, conversation: ConversationKey, messageId: number): Promise<number> {
    requireMessageId(messageId);
    // GREATEST in the upsert: concurrent marks from two devices end at the furthest, in one statement.
    const { rows } = await this.pool.query<{ last_read_id: string }>(
      `INSERT INTO read_markers (user_id, conversation, last_read_id)
       SELECT id, $2, $3 FROM users WHERE id = $1
       ON CONFLICT (user_id, conversation) DO UPDATE
         SET last_read_id = GREATEST(read_markers.last_read_id, EXCLUDED.last_read_id), updated_at = now()
       RETURNING last_read_id`,
      [userId, conversation, messageId],
    );
    if (!rows[0]) throw notFound('user');
    return Number(rows[0].last_read_id);
  }

  async readMarkers(userId: number, conversations: readonly ConversationKey[]): Promise<Map<ConversationKey, number>> {
    if (conversations.length === 0) return new Map();
    const { rows } = await this.pool.query<{ conversation: string; last_read_id: string }>(
      'SELECT conversation, last_read_id FROM read_markers WHERE user_id = $1 AND conversation = ANY($2::text[]) AND last_read_id > 0',
      [userId, conversations],
    );
    return new Map(rows.map((r) => [r.conversation, Number(r.last_read_id)]));
  }
}
