/**
 * Forked publisher: sends synthetic flow events at a fixed rate, either as Tributary's message
 * backend does (PUBLISH of the event JSON on `<prefix>flow:<id>`) or through a Socket.IO server
 * instance with the Redis adapter and no clients of its own (`io.to(flow).emit`), which is what
 * @socket.io/redis-emitter does.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { type PublisherCommands, type PublishRequest, type PublishResult, serveCommands } from './ipc';
import { nowMs } from './stats';

const CONTENT = 'Benchmark message: the quick brown fox jumps over the lazy dog, then files a ticket about it in the flow.';
/** How often the pacing loop wakes up; each wake-up sends what is due. */
const TICK_MS = 2;

let send: ((flowId: string, event: Record<string, unknown>) => void) | null = null;
let flowIds: string[] = [];
/** Per-flow message ids keep rising across phases: Tributary drops an event whose id is not newer than the last. */
const lastIds = new Map<string, number>();
const closers: (() => Promise<void>)[] = [];

/** A message event shaped like the ones the backend publishes (spec §3), plus `ph`, the bench phase. */
function eventFor(flowId: string, phase: string): Record<string, unknown> {
  const id = (lastIds.get(flowId) ?? 0) + 1;
  lastIds.set(flowId, id);
  return { event: 'message', content: CONTENT, tags: [], uuid: null, id, flow: flowId, sent: nowMs(), user: '1', app: 'chat', attachments: [], ph: phase };
}

function publish(req: PublishRequest): Promise<PublishResult> {
  const emit = send;
  if (!emit) throw new Error('publisher not initialised');
  const total = Math.round(req.rate * req.seconds);
  const flows = Math.min(req.flows ?? flowIds.length, flowIds.length);
  return new Promise((resolve) => {
    const startedAt = nowMs();
    let published = 0;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((req.rate * (nowMs() - startedAt)) / 1000));
      while (published < due) {
        const flowId = flowIds[published % flows]!;
        emit(flowId, eventFor(flowId, req.phase));
        published++;
      }
      if (published >= total) {
        clearInterval(timer);
        resolve({ published, startedAt, endedAt: nowMs() });
      }
    }, TICK_MS);
  });
}

serveCommands<PublisherCommands>({
  init: (req) => {
    flowIds = req.flowIds;
    const pub = new Redis(req.redisUrl);
    pub.on('error', () => {});
    if (req.mode === 'redis') {
      const prefix = req.channelPrefix;
      send = (flowId, event) => void pub.publish(prefix + flowId, JSON.stringify(event)).catch(() => {});
      closers.push(async () => void (await pub.quit()));
    } else {
      const sub = pub.duplicate();
      sub.on('error', () => {});
      const io = new Server({ adapter: createAdapter(pub, sub, { key: req.adapterKey }) });
      send = (flowId, event) => void io.to(flowId).emit('event', event);
      // No engine is attached (no HTTP server), so io.close() would throw; the adapter's clients are all there is to close.
      closers.push(async () => void (await Promise.allSettled([pub.quit(), sub.quit()])));
    }
    return null;
  },
  publish,
  resetIds: () => {
    lastIds.clear();
    return null;
  },
  close: async () => {
    for (const close of closers.splice(0)) await close();
    return null;
  },
});
