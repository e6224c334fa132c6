/** ShardBackoff and the write-failure classification: pure parts of the backend's failure handling. */
import { FencedOffError, StoreConflictError } from '../core/errors';
import { ShardBackoff } from './shard-backoff';
import { classifyWriteFailure } from './write-failure';

test('a failing shard waits exponentially up to the cap, alone, and is ready again once it succeeds', () => {
  let now = 1000;
  const backoff = new ShardBackoff({ baseMs: 100, maxMs: 500 }, () => now);
  expect([backoff.failed(1), backoff.failed(1), backoff.failed(1), backoff.failed(1)]).toEqual([100, 200, 400, 500]);
  expect(backoff.retryIn(1)).toBe(500);
  expect(backoff.retryIn(2)).toBe(0);
  now += 200;
  expect(backoff.retryIn(1)).toBe(300);
  now += 300;
  expect(backoff.retryIn(1)).toBe(0);
  backoff.succeeded(1);
  expect(backoff.failed(1)).toBe(100);
});

test('lost leases, lost connections and timeouts are not the entries’ fault; anything else is', () => {
  expect(classifyWriteFailure(new FencedOffError(1, 2))).toBe('fenced');
  for (const code of ['08006', '57P01', '55P03', '57014', '40001', 'ECONNREFUSED', 'ECONNRESET']) {
    expect(classifyWriteFailure(Object.assign(new Error('x'), { code }))).toBe('transient');
  }
  expect(classifyWriteFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
  expect(classifyWriteFailure(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe('permanent');
  expect(classifyWriteFailure(new StoreConflictError('duplicate'))).toBe('permanent');
  expect(classifyWriteFailure(new TypeError('cannot read properties of undefined'))).toBe('permanent');
});
