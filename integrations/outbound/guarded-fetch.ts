/**
 * Every outbound GET of an integration: resolves the host itself and connects to the address it
 * checked (AddressGuard), never re-resolving; follows at most MAX_REDIRECTS redirects by hand,
 * checking each hop the same way; gives up after a timeout; refuses a body past a size cap; sends
 * the conditional-GET validators it is given.
 */
import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressGuard } from './address-guard';

export const MAX_REDIRECTS = 5;

/** A fetch that failed for a reason worth showing on the source's status. */
export class OutboundError extends Error {}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  /**
   * Every certificate authority (PEM) trusted for TLS when OUTBOUND_CA_FILE adds some: Node's own
   * plus the file's (Node's `ca` option replaces its defaults, so the list carries both). Unset:
   * Node's defaults.
   */
  ca?: string[];
}

export interface FetchedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

/** A lookup that answers only with an address the guard admits: the socket connects to exactly what was checked. */
export function guardedLookup(guard: AddressGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const admitted = list.find((a) => guard.refusal(a.address) === null);
      if (!admitted) return callback(new OutboundError(guard.refusal(list[0]?.address ?? hostname) ?? `no address for ${hostname}`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [admitted]);
      callback(null, admitted.address, admitted.family);
    });
  };
}

/** A URL naming an address itself: Node connects to it without any lookup, so it is checked here. */
export function literalRefusal(url: URL, guard: AddressGuard): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? guard.refusal(host) : null;
}

function oneRequest(url: URL, headers: Record<string, string>, guard: AddressGuard, limits: FetchLimits, signal: AbortSignal): Promise<FetchedResponse> {
  const refused = literalRefusal(url, guard);
  if (refused) return Promise.reject(new OutboundError(refused));
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const tls = url.protocol === 'https:' && limits.ca ? { ca: limits.ca } : {};
    const req = client.get(url, { headers, lookup: guardedLookup(guard), signal, agent: false, ...tls }, (res) => {
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        res.destroy();
        return reject(new OutboundError(`${url.href} is ${declared} bytes, more than the ${limits.maxBytes} allowed (SOURCE_MAX_FEED_BYTES)`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          res.destroy();
          reject(new OutboundError(`${url.href} sent more than the ${limits.maxBytes} bytes allowed (SOURCE_MAX_FEED_BYTES)`));
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: url.href }));
      res.on('error', failed);
      // A body cut off (the deadline, the server gone) may end with no 'error': never leave the promise pending.
      res.on('close', () => {
        if (!res.complete) failed(new OutboundError(`${url.href} closed the connection before the whole body was sent`));
      });
    });
    // An address guard refusal comes out of the lookup as the request's error: kept as it is.
    function failed(err: Error): void {
      reject(signal.aborted ? new OutboundError(`${url.href} did not answer within ${limits.timeoutMs} ms (SOURCE_FETCH_TIMEOUT_MS)`) : err);
    }
    req.on('error', failed);
  });
}

/** GETs `start`, following redirects by hand; a 3xx past MAX_REDIRECTS, a refused address, a timeout or an oversized body is an OutboundError. */
export async function guardedGet(start: string, headers: Record<string, string>, guard: AddressGuard, limits: FetchLimits): Promise<FetchedResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = new URL(start);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError(`refused to follow ${url.href}: only http and https`);
    const res = await oneRequest(url, headers, guard, limits, signal);
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
    if (hop === MAX_REDIRECTS) throw new OutboundError(`${start} redirected more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url);
  }
}

/**
 * An HTTPS agent for a library that makes its own requests (twitter-api-v2): the same address guard
 * on every connection and the same extra CAs. The caller checks a URL written as an address itself
 * (literalRefusal), and gives the library the timeout.
 */
export function guardedAgent(guard: AddressGuard, limits: FetchLimits): https.Agent {
  return new https.Agent({ lookup: guardedLookup(guard), ...(limits.ca ? { ca: limits.ca } : {}) });
}
