/** Parsing and checking a MasterRecord read from ZooKeeper: a service must never act on a malformed one. */
import type { MasterRecord } from './failover-state';

/** A Redis node's address split into what a socket needs. */
export interface HostPort {
  host: string;
  port: number;
}

/** Splits `host:port` (the last colon separates the port, so IPv6 hosts keep theirs). Throws on anything else. */
export function parseAddress(address: string): HostPort {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  if (at <= 0 || !host || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a host:port address: ${JSON.stringify(address)}`);
  return { host, port };
}

/**
 * The record in a znode's bytes, or an Error that says what is wrong with it. Only the fields a
 * client acts on are required (master, epoch); the rest default, so an older manager's record
 * still moves the clients.
 */
export function parseMasterRecord(data: Buffer): MasterRecord | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return new Error(`master znode is not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) return new Error('master znode does not hold an object');
  const r = raw as Partial<Record<keyof MasterRecord, unknown>>;
  if (typeof r.master !== 'string') return new Error('master znode has no "master"');
  try {
    parseAddress(r.master);
  } catch (error) {
    return error as Error;
  }
  if (typeof r.epoch !== 'number' || !Number.isSafeInteger(r.epoch) || r.epoch < 0) return new Error('master znode has no valid "epoch"');
  return {
    master: r.master,
    epoch: r.epoch,
    replicas: Array.isArray(r.replicas) ? r.replicas.filter((x): x is string => typeof x === 'string') : [],
    changedAt: typeof r.changedAt === 'string' ? r.changedAt : '',
    reason: typeof r.reason === 'string' ? r.reason : '',
  };
}
