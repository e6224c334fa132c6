/** MessageIngress when the queue append outlasts the persist timeout (a Redis failover holds it): a 503, never a crash. */
import { AppError } from '../errors';
import { InProcessBus } from '../in-process/in-process-bus';
import { InProcessWorkQueue } from '../in-process/in-process-work-queue';
import { MessageIngress } from './message-ingress';

/** A queue whose appends wait until released, as ioredis holds commands while the master moves. */
class HeldQueue extends InProcessWorkQueue {
  private held: (() => void)[] = [];

  override async append(shard: number, payload: string): Promise<void> {
    await new Promise<void>((resolve) => this.held.push(resolve));
    return super.append(shard, payload);
  }

  get waiting(): number {
    return this.held.length;
  }

  letThrough(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));
afterEach(() => jest.useRealTimers());

it('answers NOT_PERSISTED_YET after the append returns, and the timeout meanwhile rejects nothing unobserved', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  const queue = new HeldQueue();
  const ingress = new MessageIngress({ queue, bus: new InProcessBus(), shardCount: 4, persistTimeoutMs: 100 });
  await ingress.start();
  const draft = { event: 'message', content: 'hi', tags: [], flow: 'f', user: '1', sent: 0, app: 'chat', attachments: [], uuid: 'u1' };
  const submitted = ingress.submit({ kind: 'post', conversation: 'f', uuid: 'u1', actor: '1', draft } as Parameters<MessageIngress['submit']>[0]);
  const answer = submitted.then(() => null, (error: unknown) => error);
  await new Promise(setImmediate);
  expect(queue.waiting).toBe(1);

  jest.advanceTimersByTime(150); // the persist timeout fires while the append is still held
  await new Promise(setImmediate); // Node reports unhandled rejections once the microtasks ran
  expect(unhandled).toEqual([]);

  queue.letThrough();
  const error = await answer;
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('NOT_PERSISTED_YET');
  await ingress.stop();
});
