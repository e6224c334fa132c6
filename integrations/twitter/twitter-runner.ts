/**
 * The `twitter` kind: follows a v2 recent search with `since_id`, through twitter-api-v2 behind the
 * source's breaker and address guard. It honours the rate-limit headers: when a poll uses up the
 * window (`x-rate-limit-remaining: 0`) the next run waits for `x-rate-limit-reset`, and a 429 is
 * recorded on the status and waits for the reset too (at least the backoff).
 */
import { ApiRequestError, ApiResponseError, TwitterApi, type TwitterRateLimit, type Tweetv2SearchResult } from 'twitter-api-v2';
import { DEFAULT_INTERVAL_S } from '../../core/integrations/poll-interval';
import type { TwitterConfig } from '../../core/integrations/twitter-config';
import { OutboundError } from '../outbound/guarded-fetch';
import { type PollInput, type PollResult, RetryLaterError, type SourceItem, type SourceRunner } from '../source-runner';
import { tweetItems } from './tweet-items';

/** The API's largest page. */
const PAGE_SIZE = 100;
/**
 * Pages read in one poll. More than MAX_PAGES × PAGE_SIZE new tweets between two polls and the
 * oldest are skipped (the API answers newest first, and since_id moves to the newest).
 */
const MAX_PAGES = 5;

/** A type, not an interface: it must fit the worker's Record<string, unknown> cursor. */
type TwitterCursor = { since_id?: string };

type Answer = { ok: true; body: Tweetv2SearchResult; rateLimit?: TwitterRateLimit } | { ok: false; resetAt: Date };

const resetDate = (limit: TwitterRateLimit | undefined): Date | undefined => (limit && Number.isFinite(limit.reset) ? new Date(limit.reset * 1000) : undefined);

/**
 * The error under an ApiRequestError. twitter-api-v2 1.29 stores it as `_options.error` but its
 * `requestError` getter reads `_options.requestError` (always undefined): read where it is.
 */
function requestCause(err: ApiRequestError): unknown {
  return err.requestError ?? (err as unknown as { _options?: { error?: unknown } })._options?.error;
}

/** What went wrong, in a sentence for the status (twitter-api-v2's own messages name neither URL nor cause). */
function explained(err: unknown, apiUrl: string): Error {
  if (err instanceof OutboundError) return err;
  if (err instanceof ApiResponseError) return new OutboundError(`${apiUrl} answered ${err.code}${err.data?.title ? ` (${err.data.title})` : ''}`);
  // A request that never got an answer: the cause is inside ("Request timeout.", ECONNREFUSED, a TLS error).
  const cause = err instanceof ApiRequestError ? requestCause(err) : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/timeout/i.test(message)) return new OutboundError(`${apiUrl} did not answer within the timeout (SOURCE_FETCH_TIMEOUT_MS)`);
  if (/JSON|Unexpected token|parse/i.test(message)) return new OutboundError(`${apiUrl} answered with invalid JSON: ${message.slice(0, 200)}`);
  return new OutboundError(`${apiUrl}: ${message.slice(0, 500)}`);
}

/** The runner for an API at `apiUrl` (TWITTER_API_URL: Twitter's own, or a stand-in that answers like it). */
export function twitterRunner(apiUrl: string): SourceRunner {
  const prefix = `${apiUrl.replace(/\/+$/, '')}/2/`;

  return {
    intervalS: (config) => (config as TwitterConfig).interval_s ?? DEFAULT_INTERVAL_S,

    async poll({ config, cursor, outbound }: PollInput): Promise<PollResult> {
      const { query, bearer_token } = config as TwitterConfig;
      const sinceId = (cursor as TwitterCursor | null)?.since_id;
      const items: SourceItem[] = [];
      let newest = sinceId;
      let nextToken: string | undefined;
      let resetAt: Date | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await outbound.call<Answer>(prefix, async (agent, timeoutMs) => {
          const client = new TwitterApi(bearer_token, { httpAgent: agent });
          const params = {
            query, max_results: PAGE_SIZE, 'tweet.fields': 'created_at,author_id', expansions: 'author_id', 'user.fields': 'name,username,profile_image_url',
            ...(sinceId ? { since_id: sinceId } : {}), ...(nextToken ? { next_token: nextToken } : {}),
          };
          try {
            const res = await client.v2.get<Tweetv2SearchResult>('tweets/search/recent', params, { prefix, fullResponse: true, timeout: timeoutMs });
            return { ok: true, body: res.data, ...(res.rateLimit ? { rateLimit: res.rateLimit } : {}) };
          } catch (err) {
            // Being told to wait is no failure of the remote: it must not open the breaker.
            if (err instanceof ApiResponseError && err.code === 429) return { ok: false, resetAt: resetDate(err.rateLimit) ?? new Date(Date.now() + 60_000) };
            throw explained(err, prefix);
          }
        });
        if (!answer.ok) {
          // Nothing of this poll is kept (since_id unchanged), so the next poll reads it again.
          throw new RetryLaterError(`${prefix} answered 429 (rate limit): waiting until ${answer.resetAt.toISOString()}`, answer.resetAt);
        }
        items.push(...tweetItems(answer.body));
        if (!newest || (answer.body.meta?.newest_id && BigInt(answer.body.meta.newest_id) > BigInt(newest))) newest = answer.body.meta?.newest_id ?? newest;
        if (answer.rateLimit?.remaining === 0) resetAt = resetDate(answer.rateLimit);
        nextToken = answer.body.meta?.next_token;
        if (!nextToken || resetAt) break;
      }
      return { items, cursor: newest ? { since_id: newest } : null, ...(resetAt ? { notBefore: resetAt } : {}) };
    },
  };
}
