/**
 * Memory per idle connection: one server process's memory before and after opening many idle,
 * subscribed connections, each read after full garbage collections in that process (the probe of
 * processes.ts), so that the heap figure is what the connections retain, not garbage not yet collected.
 */
import type { ChildProcess } from 'node:child_process';
import { ClientPool } from './clients';
import type { ClientKind } from './ipc';
import type { BenchOptions, System } from './options';
import { readMemory } from './processes';

export interface MemoryTarget {
  system: System;
  kind: ClientKind;
  url: string;
  tokens: string[];
  /** The server process, started with MEMORY_PROBE_ARGS and an IPC channel. */
  child: ChildProcess;
}

export interface MemoryRow {
  system: System;
  connections: number;
  failed: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** RSS growth per connection (after GC; RSS also holds freed pages the allocator kept). */
  bytesPerConnection: number;
  /** V8 heap in use after full collections, before and after. */
  heapBeforeBytes: number;
  heapAfterBytes: number;
  heapPerConnection: number;
  /** Memory outside the V8 heap held by JS objects (Buffers), growth per connection. */
  externalPerConnection: number;
  connectMs: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runMemory(target: MemoryTarget, flowIds: string[], options: BenchOptions, log: (line: string) => void): Promise<MemoryRow> {
  const pool = ClientPool.start(options.clientWorkers);
  try {
    // A handful of connections first, so that code paths, buffers and pools are warm before the baseline.
    await pool.connect(target.kind, 20, { urls: [target.url], tokens: target.tokens, flowSets: flowIds.map((f) => [f]) });
    await settle(1500);
    const before = await readMemory(target.child);
    const result = await pool.connect(target.kind, options.memoryConnections, { urls: [target.url], tokens: target.tokens, flowSets: flowIds.map((f) => [f]) });
    await settle(2000);
    const after = await readMemory(target.child);
    const per = (a: number, b: number) => (b - a) / Math.max(1, result.ok);
    const row: MemoryRow = {
      system: target.system,
      connections: result.ok,
      failed: result.failed,
      rssBeforeBytes: before.rss,
      rssAfterBytes: after.rss,
      bytesPerConnection: per(before.rss, after.rss),
      heapBeforeBytes: before.heapUsed,
      heapAfterBytes: after.heapUsed,
      heapPerConnection: per(before.heapUsed, after.heapUsed),
      externalPerConnection: per(before.external, after.external),
      connectMs: result.ms,
    };
    const kib = (bytes: number) => (bytes / 1024).toFixed(2);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    log(
      `${target.system}: ${result.ok} idle connections (${result.failed} failed) in ${result.ms} ms; after GC: heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB = ${kib(row.heapPerConnection)} KiB each (+ ${kib(row.externalPerConnection)} KiB external), RSS ${mib(before.rss)} → ${mib(after.rss)} MiB = ${kib(row.bytesPerConnection)} KiB each`,
    );
    return row;
  } finally {
    await pool.close();
  }
}
