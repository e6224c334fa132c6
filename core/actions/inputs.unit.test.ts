/** Ids and counts accept one spelling: decimal digits (or a JSON number), nothing z.coerce would also take. */
import { z } from 'zod';
import { positiveId, wholeNumber } from './inputs';

test.each([['7', 7], [7, 7], ['000012', 12], ['999999999999999', 999_999_999_999_999]])('positiveId takes %p as %p', (given, expected) => {
  expect(positiveId.parse(given)).toBe(expected);
});

test.each(['0x10', '1e3', ' 7', '7 ', '+7', '-7', '', '7.5', 'Infinity', '1_000', '1234567890123456', 7.5, 0, -1, null, true])('positiveId refuses %p', (given) => {
  expect(positiveId.safeParse(given).success).toBe(false);
});

test('a string that is not digits is refused with what is expected, not with a bare "expected number"', () => {
  const result = positiveId.safeParse('0x10');
  expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual(['must be a whole number in decimal digits']);
});

test('the bounds given apply after the conversion', () => {
  const limit = wholeNumber(z.number().min(1).max(100));
  expect(limit.parse('100')).toBe(100);
  expect(limit.safeParse('101').success).toBe(false);
});
