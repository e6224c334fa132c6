/** A built-in source's worker status as the API and `tributary source` show it (null before its first run). */
import type { SourceRunStatus } from '../domain/source';

export function sourceStatusJson(status: SourceRunStatus | null) {
  const at = (d: Date | null) => d?.toISOString() ?? null;
  return status && {
    last_run_at: at(status.lastRunAt), last_success_at: at(status.lastSuccessAt), last_error: status.lastError,
    next_run_at: at(status.nextRunAt), items_posted: status.itemsPosted, failures: status.failures,
  };
}
