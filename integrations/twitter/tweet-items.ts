/** A v2 recent-search answer → the items to post: each tweet an inbox item with its author, text and link. */
import type { Tweetv2SearchResult, TweetV2, UserV2 } from 'twitter-api-v2';
import type { SourceItem } from '../source-runner';

type SearchBody = Tweetv2SearchResult;

/** Where a tweet is read on the web (the API gives no URL; this is the form Twitter links to). */
export const tweetUrl = (username: string, id: string): string => `https://twitter.com/${encodeURIComponent(username)}/status/${encodeURIComponent(id)}`;

function itemOf(tweet: TweetV2, author: UserV2 | undefined): SourceItem {
  const username = author?.username ?? 'i';
  const at = tweet.created_at ? new Date(tweet.created_at) : null;
  const text = tweet.text.slice(0, 20_000);
  return {
    externalId: tweet.id,
    publishedAt: at && !Number.isNaN(at.getTime()) ? at : null,
    post: {
      event: 'activity',
      author: {
        name: (author ? `${author.name} (@${author.username})` : 'Twitter').slice(0, 200),
        ...(author?.profile_image_url && author.profile_image_url.length <= 2000 ? { avatar: author.profile_image_url } : {}),
      },
      title: 'tweeted',
      external_thread_id: `tweet-${tweet.id}`.slice(0, 256),
      thread: { title: `@${username}: ${text}`.slice(0, 1000), body: text, external_url: tweetUrl(username, tweet.id) },
    },
  };
}

/** The tweets of one answer, newest first (ids grow with time, and the API answers newest first). */
export function tweetItems(body: SearchBody): SourceItem[] {
  if (!body || typeof body !== 'object' || (body.data !== undefined && !Array.isArray(body.data))) {
    throw new Error('the search answer is not a v2 recent-search response');
  }
  const users = new Map((body.includes?.users ?? []).map((u) => [u.id, u]));
  return (body.data ?? [])
    .filter((t) => typeof t?.id === 'string' && /^\d{1,30}$/.test(t.id) && typeof t.text === 'string')
    .map((t) => itemOf(t, t.author_id ? users.get(t.author_id) : undefined));
}
