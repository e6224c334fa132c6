/**
 * A local HTTPS server that answers like Twitter's v2 recent-search endpoint (GET
 * /2/tweets/search/recent), with a self-signed certificate made for it by openssl: the client
 * trusts it through OUTBOUND_CA_FILE, never by turning TLS verification off. Each search `query` is
 * its own scenario: the tweets it has, and how it misbehaves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSigned } from './self-signed';

export interface StandInTweet {
  id: string;
  text: string;
  user: { id: string; name: string; username: string };
}

/** How a query's searches are answered: normally, or one of the ways an API fails. */
export type Behaviour = 'ok' | 'error-500' | 'hang' | 'invalid-json' | 'rate-limited';

interface Scenario {
  tweets: StandInTweet[];
  behaviour: Behaviour;
  /** `x-rate-limit-remaining` on the next normal answer. */
  remaining: number;
  requests: { params: URLSearchParams; headers: IncomingHttpHeaders }[];
}

export interface TwitterStandIn {
  /** `https://127.0.0.1:<port>`, for TWITTER_API_URL. */
  origin: string;
  /** A PEM file with the stand-in's certificate, for OUTBOUND_CA_FILE. */
  caFile: string;
  /** The scenario of `query` (made on first use). */
  scenario(query: string): Scenario;
  /** The unix time the stand-in announces as `x-rate-limit-reset`. */
  resetAt: number;
  close(): Promise<void>;
}

/** The v2 answer: the tweets newer than since_id, newest first, authors in `includes`. */
function searchBody(tweets: readonly StandInTweet[], sinceId: string | null) {
  const newer = tweets.filter((t) => sinceId === null || BigInt(t.id) > BigInt(sinceId)).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const users = [...new Map(newer.map((t) => [t.user.id, t.user])).values()];
  return {
    ...(newer.length ? { data: newer.map((t) => ({ id: t.id, text: t.text, author_id: t.user.id, created_at: new Date(Number(BigInt(t.id) % 1_000_000n) * 1000).toISOString() })) } : {}),
    ...(users.length ? { includes: { users: users.map((u) => ({ ...u, profile_image_url: `https://pbs.example.test/${u.username}.jpg` })) } } : {}),
    meta: newer.length ? { newest_id: newer[0]!.id, oldest_id: newer.at(-1)!.id, result_count: newer.length } : { result_count: 0 },
  };
}

export async function startTwitterStandIn(): Promise<TwitterStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'twitter-stand-in-'));
  const { key, cert, certFile } = selfSigned(dir);
  const scenarios = new Map<string, Scenario>();
  const scenario = (query: string): Scenario => {
    let s = scenarios.get(query);
    if (!s) scenarios.set(query, (s = { tweets: [], behaviour: 'ok', remaining: 450, requests: [] }));
    return s;
  };
  const hanging = new Set<ServerResponse>();
  const standIn = { resetAt: Math.floor(Date.now() / 1000) + 3600 } as TwitterStandIn;
  const server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname !== '/2/tweets/search/recent') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"title":"Not Found"}');
    const s = scenario(url.searchParams.get('query') ?? '');
    s.requests.push({ params: url.searchParams, headers: req.headers });
    const limits = (remaining: number) => ({ 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(standIn.resetAt) });
    switch (s.behaviour) {
      case 'hang':
        hanging.add(res);
        return;
      case 'error-500':
        return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"title":"Internal Error"}');
      case 'invalid-json':
        return void res.writeHead(200, { 'content-type': 'application/json', ...limits(400) }).end('{"data": [ {"id": "1", "te');
      case 'rate-limited':
        return void res.writeHead(429, { 'content-type': 'application/json', ...limits(0) }).end('{"title":"Too Many Requests","status":429}');
      default: {
        const body = searchBody(s.tweets, url.searchParams.get('since_id'));
        res.writeHead(200, { 'content-type': 'application/json', ...limits(s.remaining) }).end(JSON.stringify(body));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(standIn, {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile: certFile,
    scenario,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Tweets `from`…`from+n-1` by one user, ids in order of time. */
export function tweets(from: number, n: number, username = 'acme'): StandInTweet[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(1_800_000_000_000_000_000n + BigInt(from + i)),
    text: `Tweet ${from + i} about #tributary`,
    user: { id: `u-${username}`, name: username[0]!.toUpperCase() + username.slice(1), username },
  }));
}
