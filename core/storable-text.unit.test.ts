/** The storable-text rule: NUL and unpaired surrogates anywhere (values and keys) are named by field path. */
import { z } from 'zod';
import { AppError } from './errors';
import { DEPTH_PROBLEM, MAX_INPUT_DEPTH, NUL_PROBLEM, SURROGATE_PROBLEM, textProblem, unstorableFields } from './storable-text';
import { parseInput } from './validation';

test('NUL and unpaired surrogates are refused; paired surrogates (emoji) and ordinary text are not', () => {
  expect(textProblem('x\u0000y')).toBe(NUL_PROBLEM);
  expect(textProblem('\ud800')).toBe(SURROGATE_PROBLEM);
  expect(textProblem('a\udc00')).toBe(SURROGATE_PROBLEM);
  expect(textProblem('\udc00\ud800')).toBe(SURROGATE_PROBLEM);
  expect(textProblem('smile 😀 and ✓, tab\t, newline\n')).toBeNull();
});

test('every string and key of nested input is checked and named by its path', () => {
  const input = { content: { fields: [{ label: 'ok', value: 'x\u0000' }] }, tags: ['fine', '\ud800'], ['k\u0000']: 1, n: 5 };
  expect(unstorableFields(input)).toEqual({
    'content.fields.0.value': [NUL_PROBLEM],
    'tags.1': [SURROGATE_PROBLEM],
    'k\ufffd': [NUL_PROBLEM],
  });
  expect(unstorableFields('\u0000')).toEqual({ body: [NUL_PROBLEM] });
  expect(unstorableFields({ a: [1, null, true, 'plain'] })).toEqual({});
});

test('input nested deeper than the bound is refused, not walked', () => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const problems = unstorableFields({ content: deep });
  expect(Object.values(problems)).toEqual([[DEPTH_PROBLEM]]);
  expect(Object.keys(problems)[0]?.split('.')).toHaveLength(MAX_INPUT_DEPTH);
});

test('parseInput answers VALIDATION_FAILED naming the field after the schema accepted the input', () => {
  const schema = z.object({ title: z.string(), extra: z.unknown().optional() });
  expect(parseInput(schema, { title: 'fine' })).toEqual({ title: 'fine' });
  const err = (() => {
    try {
      parseInput(schema, { title: 'a\u0000b', extra: { deep: ['\ud800'] } });
    } catch (e) {
      return e;
    }
  })() as AppError;
  expect(err).toBeInstanceOf(AppError);
  expect(err.status).toBe(400);
  expect(err.fields).toEqual({ title: [NUL_PROBLEM], 'extra.deep.0': [SURROGATE_PROBLEM] });
});
