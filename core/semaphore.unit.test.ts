/** Semaphore: N holders, FIFO waiters, a bounded queue. */
import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('admits N at once, queues the next in order, refuses past the queue bound', async () => {
    const s = new Semaphore(2, 1);
    await s.enter();
    await s.enter();
    const order: string[] = [];
    const third = s.enter();
    expect(third).not.toBeNull();
    expect(s.enter()).toBeNull();
    void third!.then(() => order.push('third'));
    expect(s.load).toEqual({ holders: 2, waiting: 1 });
    s.release();
    await third;
    expect(order).toEqual(['third']);
    expect(s.load).toEqual({ holders: 2, waiting: 0 });
    s.release();
    s.release();
    expect(s.load).toEqual({ holders: 0, waiting: 0 });
  });
});
