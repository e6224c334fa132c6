/**
 * A source's way out: guardedGet behind the source's own circuit breaker (cockatiel,
 * docs/adr/021-integration-workers.md). After BREAKER_THRESHOLD failures in a row the breaker
 * opens and calls fail at once, without touching the remote, for SOURCE_BREAKER_OPEN_S; then one
 * call tries, and closes it on success.
 */
import type { Agent } from 'node:https';
import { BrokenCircuitError, ConsecutiveBreaker, type CircuitBreakerPolicy, circuitBreaker, handleAll } from 'cockatiel';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressGuard } from './address-guard';
import { type FetchedResponse, type FetchLimits, guardedAgent, guardedGet, literalRefusal, OutboundError } from './guarded-fetch';

/** Failures in a row that open a source's breaker. */
export const BREAKER_THRESHOLD = 3;

export interface Outbound {
  /** GETs `url`; a 5xx answer is a failure (it counts toward the breaker) and throws OutboundError. */
  get(url: string, headers?: Record<string, string>): Promise<FetchedResponse>;
  /**
   * For a protocol other than HTTP (IMAP): resolves `host`, refuses an address the guard refuses,
   * and runs `use` with the checked address (connect to exactly it) and the timeout, behind the breaker.
   */
  connect<T>(host: string, use: (address: string, timeoutMs: number) => Promise<T>): Promise<T>;
  /**
   * For a session kind that keeps its connection open and retries with its own backoff (the IRC
   * bridge): resolves `host` and returns the address the guard admits, with the extra CAs to trust
   * for TLS; a refused address is an OutboundError. Not behind the breaker: the session's backoff
   * already paces its attempts, and its status must keep saying why it was refused.
   */
  address(host: string): Promise<CheckedAddress>;
  /**
   * Runs a client library's call behind the breaker, its HTTPS through `agent` (the address guard,
   * the extra CAs); `url` is where it will connect, checked first when it names an address. Whatever
   * `call` throws counts toward the breaker: a kind returns, not throws, what is not the remote's fault.
   */
  call<T>(url: string, call: (agent: Agent, timeoutMs: number) => Promise<T>): Promise<T>;
}

/** Where a connection may go: the address the guard checked (connect to exactly it), and the extra CAs (OUTBOUND_CA_FILE). */
export interface CheckedAddress {
  address: string;
  ca?: string;
}

/** Resolves `host` (or takes it as it is, an address) and refuses what `guard` refuses. */
export async function checkedAddress(host: string, guard: AddressGuard): Promise<string> {
  const address = isIP(host) ? host : (await lookup(host)).address;
  const refusal = guard.refusal(address);
  if (refusal) throw new OutboundError(refusal);
  return address;
}

export interface OutboundSettings {
  guard: AddressGuard;
  limits: FetchLimits;
  breakerOpenMs: number;
}

export function newBreaker(openMs: number): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, { halfOpenAfter: openMs, breaker: new ConsecutiveBreaker(BREAKER_THRESHOLD) });
}

/** The outbound of a source whose breaker is `breaker` (kept by the worker across runs). */
export function sourceOutbound(settings: OutboundSettings, breaker: CircuitBreakerPolicy): Outbound {
  async function guarded<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await breaker.execute(call);
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new OutboundError(`circuit open after ${BREAKER_THRESHOLD} failures in a row: not calling ${what} for ${settings.breakerOpenMs / 1000} s`);
      }
      throw err;
    }
  }
  let agent: Agent | undefined;
  return {
    get: (url, headers = {}) =>
      guarded(url, async () => {
        const res = await guardedGet(url, headers, settings.guard, settings.limits);
        if (res.status >= 500) throw new OutboundError(`${res.url} answered ${res.status}`);
        return res;
      }),
    connect: (host, use) =>
      guarded(host, async () => use(await checkedAddress(host, settings.guard), settings.limits.timeoutMs)),
    address: async (host) => ({ address: await checkedAddress(host, settings.guard), ...(settings.limits.ca ? { ca: settings.limits.ca } : {}) }),
    call: (url, call) =>
      guarded(url, () => {
        const refused = literalRefusal(new URL(url), settings.guard);
        if (refused) throw new OutboundError(refused);
        agent ??= guardedAgent(settings.guard, settings.limits);
        return call(agent, settings.limits.timeoutMs);
      }),
  };
}
