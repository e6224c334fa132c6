/** Memory per idle connection: RSS of one server process before and after opening many idle, subscribed connections. */
import { ClientPool } from './clients';
import type { ClientKind } from './ipc';
import type { BenchOptions, System } from './options';
import { rssBytes } from './processes';

export interface MemoryTarget {
  system: System;
  kind: ClientKind;
  url: string;
  tokens: string[];
  pid: number;
}

export interface MemoryRow {
  system: System;
  connections: number;
  failed: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerConnection: number;
  connectMs: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runMemory(target: MemoryTarget, flowIds: string[], options: BenchOptions, log: (line: string) => void): Promise<MemoryRow> {
  const pool = ClientPool.start(options.clientWorkers);
  try {
    // A handful of connections first, so that code paths, buffers and pools are warm before the baseline.
    await pool.connect(target.kind, 20, { urls: [target.url], tokens: target.tokens, flowSets: flowIds.map((f) => [f]) });
    await settle(1500);
    const before = rssBytes(target.pid);
    const result = await pool.connect(target.kind, options.memoryConnections, { urls: [target.url], tokens: target.tokens, flowSets: flowIds.map((f) => [f]) });
    await settle(2000);
    const after = rssBytes(target.pid);
    const row: MemoryRow = {
      system: target.system,
      connections: result.ok,
      failed: result.failed,
      rssBeforeBytes: before,
      rssAfterBytes: after,
      bytesPerConnection: (after - before) / Math.max(1, result.ok),
      connectMs: result.ms,
    };
    log(
      `${target.system}: ${result.ok} idle connections (${result.failed} failed) in ${result.ms} ms; RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB = ${(row.bytesPerConnection / 1024).toFixed(1)} KiB each`,
    );
    return row;
  } finally {
    await pool.close();
  }
}
