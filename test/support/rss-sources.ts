/** Helpers for tests of built-in RSS sources over the REST API. */
import { api, type TestStack } from './stack';

/** The environment that lets integration tests poll fast and fetch from the loopback feed server. */
export const FAST_SOURCES_ENV = {
  OUTBOUND_ALLOW: '127.0.0.1',
  SOURCE_MIN_INTERVAL_S: '0.2',
  SOURCE_LEASE_S: '1.5',
  SOURCE_FETCH_TIMEOUT_MS: '1000',
  SOURCE_BREAKER_OPEN_S: '1.5',
  SOURCE_BACKOFF_MAX_S: '0.4',
};

export function createRssSource(stack: TestStack, name: string, url: string, intervalS = 0.2): Promise<number> {
  return createBuiltInSource(stack, name, 'rss', { url, interval_s: intervalS });
}

/** Creates a source of `type` in the stack's flow as alice; its id. */
export async function createBuiltInSource(stack: TestStack, name: string, type: string, config: Record<string, unknown>): Promise<number> {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body: { name, type, config } });
  if (res.status !== 201) throw new Error(`creating the source answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

/** The source's `status` (null before its first run). */
export async function sourceStatus(stack: TestStack, id: number) {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/sources/${id}`, { auth: stack.alice.auth });
  if (res.status !== 200) throw new Error(`reading the source answered ${res.status}`);
  return res.body.status as null | { last_run_at: string | null; last_success_at: string | null; last_error: string | null; next_run_at: string | null; items_posted: number; failures: number };
}

/** The thread titles of the source's posts in the flow, oldest first. */
export async function postedTitles(stack: TestStack, sourceId: number): Promise<string[]> {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=activity&limit=100&sort=asc`, { auth: stack.alice.auth });
  if (res.status !== 200) throw new Error(`listing messages answered ${res.status}`);
  return (res.body as { source_id?: number; thread?: { title: string } }[]).filter((m) => m.source_id === sourceId).map((m) => m.thread?.title ?? '?');
}
