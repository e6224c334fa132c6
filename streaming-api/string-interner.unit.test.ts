import { StringInterner } from './string-interner';

/** Two equal strings that are distinct objects (built at run time). */
const copies = (text: string): [string, string] => [[...text].join(''), `${text.slice(0, 1)}${text.slice(1)}`];

test('equal strings come back as the first one seen, until the bound is passed', () => {
  const interner = new StringInterner(2);
  const [a, b] = copies('flow:one');
  expect(interner.intern(a)).toBe(a);
  expect(interner.intern(b)).toBe(a);
  interner.intern('flow:two');
  // A third distinct string starts over: the next copy of 'flow:one' is kept as the new one.
  interner.intern('flow:three');
  const [c] = copies('flow:one');
  expect(interner.intern(c)).toBe(c);
  expect(interner.intern('flow:three')).toBe('flow:three');
});
