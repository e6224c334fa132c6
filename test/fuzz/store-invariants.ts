/**
 * The message store's invariants, checked straight in Postgres after a fuzz run: per conversation,
 * ids run 1..n with no gap; no uuid is stored twice for one sender; every JSON document agrees with
 * the columns its row is indexed by.
 */
import type { Pool } from 'pg';

/** One sentence per violation found; empty when the store is consistent. */
export async function storeInvariantViolations(pool: Pool): Promise<string[]> {
  const violations: string[] = [];
  const gaps = await pool.query<{ conversation: string; n: string; max: string; min: string }>(
    'SELECT conversation, count(*) AS n, max(id) AS max, min(id) AS min FROM messages GROUP BY conversation HAVING count(*) <> max(id) OR min(id) <> 1',
  );
  for (const g of gaps.rows) violations.push(`${g.conversation}: ${g.n} messages but ids ${g.min}..${g.max}`);
  const doubled = await pool.query<{ conversation: string; uuid: string; n: string }>(
    "SELECT conversation, uuid, doc->>'user' AS sender, count(*) AS n FROM messages GROUP BY conversation, uuid, doc->>'user' HAVING count(*) > 1",
  );
  for (const d of doubled.rows) violations.push(`${d.conversation}: uuid ${d.uuid} stored ${d.n} times for one sender`);
  const inconsistent = await pool.query<{ conversation: string; id: string }>(
    `SELECT conversation, id FROM messages
      WHERE (doc->>'id')::bigint <> id OR doc->>'uuid' <> uuid OR doc->>'event' <> event OR (doc->>'sent')::bigint <> sent
         OR coalesce(doc->>'thread_id', '') <> coalesce(thread_id, '')
         OR (conversation NOT LIKE 'private:%' AND doc->>'flow' IS DISTINCT FROM conversation)
         OR (conversation LIKE 'private:%' AND doc->>'to' IS NULL)`,
  );
  for (const i of inconsistent.rows) violations.push(`${i.conversation}#${i.id}: document disagrees with its row`);
  return violations;
}
