/**
 * Preloaded (`node --expose-gc --require memory-probe.js`, see MEMORY_PROBE_ARGS in processes.ts)
 * into every server process the memory benchmark measures, whatever its code: on a `memory-probe`
 * message over the IPC channel it runs full garbage collections and answers with
 * `process.memoryUsage()`, so that the figure is what the heap retains rather than garbage not yet
 * collected. `readMemory` (processes.ts) is the bench's side. Never imported: loaded only by --require.
 */

const REQUEST = 'memory-probe';

function answerProbes(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== REQUEST) return;
    // Twice: objects with finalizers or weak references need a second pass to be freed.
    gc?.();
    gc?.();
    process.send?.({ type: REQUEST, usage: process.memoryUsage(), gc: gc !== undefined });
  });
  // The probe must not keep a process alive that is otherwise done (a drained service exits).
  process.channel?.unref();
}

if (process.send) answerProbes();
