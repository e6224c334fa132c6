/** RevocationLog: a subscription checked before a revocation learns of it; one checked after does not; old entries go. */
import { RevocationLog } from './revocation-log';

it('reports a revocation of that user and flow recorded after the mark, and nothing else', () => {
  const log = new RevocationLog();
  const before = log.mark();
  log.record(1, ['a', 'b']);
  const after = log.mark();
  expect(log.revokedSince(1, 'a', before)).toBe(true);
  expect(log.revokedSince(1, 'b', before)).toBe(true);
  expect(log.revokedSince(1, 'c', before)).toBe(false);
  expect(log.revokedSince(2, 'a', before)).toBe(false);
  expect(log.revokedSince(1, 'a', after)).toBe(false);
  log.record(1, ['a']);
  expect(log.revokedSince(1, 'a', after)).toBe(true);
});

it('forgets revocations older than a minute (no subscribe takes that long)', () => {
  let now = 0;
  const log = new RevocationLog(() => now);
  const mark = log.mark();
  log.record(1, ['a']);
  now = 61_000;
  log.record(2, ['b']);
  expect(log.revokedSince(1, 'a', mark)).toBe(false);
  expect(log.revokedSince(2, 'b', mark)).toBe(true);
});
