/** The list parameters of GET …/messages (spec §2.4), validated into a store query. */
import { z } from 'zod';
import { wholeNumber } from '../../core/actions/inputs';
import type { MessageQuery } from '../../core/ports/message-store';
import { parseInput } from '../../core/validation';

const commaList = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const id = wholeNumber(z.number().nonnegative());

const listQuery = z.object({
  event: commaList.optional(),
  limit: wholeNumber(z.number().min(1).max(100)).default(30),
  sort: z.enum(['asc', 'desc']).optional(),
  since_id: id.optional(),
  until_id: id.optional(),
  tags: commaList.optional(),
  tag_mode: z.enum(['and', 'or']).optional(),
  search: z.string().max(1000).optional(),
  skip: wholeNumber(z.number().min(0).max(100_000)).optional(),
});

export function parseMessageQuery(raw: unknown, threadId?: string): MessageQuery {
  const q = parseInput(listQuery, raw);
  const search = q.search?.split(/\s+/).filter(Boolean);
  const searching = !!search?.length;
  return {
    limit: q.limit,
    ...(q.event ? { events: q.event } : {}),
    ...(q.sort ? { sort: q.sort } : {}),
    // The spec ignores id bounds for searches, which page with `skip` instead.
    ...(!searching && q.since_id !== undefined ? { sinceId: q.since_id } : {}),
    ...(!searching && q.until_id !== undefined ? { untilId: q.until_id } : {}),
    ...(q.tags ? { tags: q.tags.map((t) => t.replace(/^#/, '')), tagMode: q.tag_mode ?? 'and' } : {}),
    ...(searching ? { search, skip: q.skip ?? 0 } : {}),
    ...(threadId ? { threadId } : {}),
  };
}
