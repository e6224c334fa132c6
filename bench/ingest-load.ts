/**
 * Load for the write-path benchmark: REST posts over keep-alive HTTP and WebSocket `post` frames,
 * either paced (open loop: a fixed rate whatever the answers, so latency is not hidden by waiting)
 * or saturating (closed loop: a fixed number of posts always outstanding).
 */
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import WebSocket from 'ws';
import type { SeededFlow } from './stack';
import { Histogram, nowMs } from './stats';

export interface LoadOutcome {
  acked: number;
  failed: number;
  ack: Histogram;
  errors: string[];
  seconds: number;
}

/** How posts are offered: `rate` posts/s for `seconds`, or `outstanding` posts in flight for `seconds`. */
export type Load = { kind: 'paced'; rate: number; seconds: number } | { kind: 'saturate'; outstanding: number; seconds: number };

/** One post attempt: resolves with whether it was acknowledged (201 / ack frame) and an error text otherwise. */
type Post = (n: number) => Promise<string | null>;

const CONTENT = 'Write-path benchmark message: validated, authorized, queued, persisted and acknowledged.';

/** Runs `post` under `load` and collects the acknowledgement latencies. */
async function drive(load: Load, post: Post): Promise<LoadOutcome> {
  const out: LoadOutcome = { acked: 0, failed: 0, ack: new Histogram(), errors: [], seconds: 0 };
  let n = 0;
  const one = async () => {
    const t0 = nowMs();
    const error = await post(n++).catch((err: unknown) => String(err));
    if (error === null) {
      out.ack.record(nowMs() - t0);
      out.acked++;
    } else {
      out.failed++;
      if (out.errors.length < 5) out.errors.push(error.slice(0, 200));
    }
  };
  const started = nowMs();
  const until = started + load.seconds * 1000;
  if (load.kind === 'saturate') {
    const lane = async () => {
      while (nowMs() < until) await one();
    };
    await Promise.all(Array.from({ length: load.outstanding }, lane));
  } else {
    const inFlight: Promise<void>[] = [];
    const intervalMs = 1000 / load.rate;
    // Each post leaves at its own scheduled time; a late timer sends the ones it owes at once.
    for (let due = started; due < until; due += intervalMs) {
      const wait = due - nowMs();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(one());
    }
    await Promise.all(inFlight);
  }
  out.seconds = (nowMs() - started) / 1000;
  return out;
}

export interface Target {
  port: number;
  flows: SeededFlow[];
  tokens: string[];
}

/** REST posts (`POST /flows/:org/:flow/messages`) over at most `connections` keep-alive sockets. */
export function restLoad(target: Target, connections: number, load: Load): Promise<LoadOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post: Post = (n) =>
    new Promise((resolve, reject) => {
      const flow = target.flows[n % target.flows.length]!;
      const body = JSON.stringify({ event: 'message', content: CONTENT, uuid: randomUUID() });
      const req = request(
        {
          agent, host: '127.0.0.1', port: target.port, method: 'POST', path: `/flows/${flow.path}/messages`,
          headers: { authorization: `Bearer ${target.tokens[n % target.tokens.length]}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(res.statusCode === 201 ? null : `${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return drive(load, post).finally(() => agent.destroy());
}

/** WebSocket `post` frames over `connections` connections (post n goes on connection n mod connections). */
export async function webSocketLoad(url: string, target: Target, connections: number, load: Load): Promise<LoadOutcome> {
  const sockets = await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${target.tokens[i % target.tokens.length]}` }, perMessageDeflate: false });
      const waiting = new Map<string, (error: string | null) => void>();
      await new Promise<void>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('message', () => resolve()); // hello
      });
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as { type?: string; ref?: string };
        const done = frame.ref === undefined ? undefined : waiting.get(frame.ref);
        if (!done) return;
        waiting.delete(frame.ref!);
        done(frame.type === 'ack' ? null : JSON.stringify(frame));
      });
      ws.on('close', () => {
        for (const done of waiting.values()) done('connection closed');
        waiting.clear();
      });
      return { ws, waiting };
    }),
  );
  const post: Post = (n) =>
    new Promise((resolve) => {
      const { ws, waiting } = sockets[n % sockets.length]!;
      const ref = `r${n}`;
      waiting.set(ref, resolve);
      const flow = target.flows[n % target.flows.length]!;
      ws.send(JSON.stringify({ type: 'post', ref, flow: flow.id, event: 'message', content: CONTENT, uuid: randomUUID() }));
    });
  try {
    return await drive(load, post);
  } finally {
    for (const { ws } of sockets) ws.close();
  }
}

/**
 * Round trips to the stack's Redis (`PING`) under the same load as the posts: one of the hops a
 * post's acknowledgement is made of, timed alone on this machine, so the report can say how much of
 * an ack is the hops themselves (docs/benchmarks.md, "round-trip floor").
 */
export async function redisRoundTrips(url: string, load: Load): Promise<LoadOutcome> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.ping();
    return await drive(load, async () => ((await redis.ping()) === 'PONG' ? null : 'no PONG'));
  } finally {
    redis.disconnect();
  }
}

/**
 * Paced (or saturating) Postgres round trips on one connection, each a prepared statement: `select`
 * is `SELECT 1` (the hop alone); `commit` inserts one row into a scratch table and commits it (the
 * cheapest durable write: the hop and a WAL flush, as every batch statement pays).
 */
export async function postgresRoundTrips(url: string, load: Load, kind: 'select' | 'commit' = 'select'): Promise<LoadOutcome> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    if (kind === 'commit') await client.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    const probe = kind === 'commit'
      ? { name: 'bench-commit-one', text: 'INSERT INTO bench_commit_probe DEFAULT VALUES RETURNING 1 AS one' }
      : { name: 'bench-select-one', text: 'SELECT 1 AS one' };
    await client.query(probe);
    return await drive(load, async () => ((await client.query<{ one: number }>(probe)).rows[0]?.one === 1 ? null : 'no row'));
  } finally {
    if (kind === 'commit') await client.query('DROP TABLE IF EXISTS bench_commit_probe');
    await client.end();
  }
}
