/** Bad recipes and attributes are rejected, every offender named, before anything on the machine changes. */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook, RecipeContext, ServiceProps } from './api';
import { deepMerge } from './attributes';
import { compile } from './compile';
import { convergeTest, tempDir, testRole } from './test-kit';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A recipe loaded as JS from a server can call anything; this is how it would reach the recorder. */
type Raw = RecipeContext & { record(kind: string, name: string, props: unknown): string };

const cookbook: Cookbook = {
  name: 'ct',
  version: '0.1.0',
  attributes: z.object({ port: z.number().int().default(7000), name: z.string().default('x') }),
  recipes: {
    default: (r) => {
      r.file(join(dir, 'would-be-written'), { content: 'no\n' });
      r.includeRecipe('ct::other');
    },
    other: (r) => {
      r.directory(join(dir, 'would-be-created'));
    },
    bogus: (r) => {
      (r as Raw).record('bogus', 'thing', {});
    },
    wrongType: (r) => {
      r.service('svc', { command: ['true'], pidFile: '/tmp/x.pid', ready: { port: 1 }, readyTimeoutMs: '5' } as unknown as ServiceProps);
      r.file(join(dir, 'typo'), { content: 'x', mod: 0o644 } as unknown as { content: string });
      r.execute('bad-action', { command: ['true'], action: 'sprint' } as unknown as { command: string[] });
    },
    missingTarget: (r) => {
      r.file(join(dir, 'n'), { content: 'x', notifies: [{ resource: 'service[nope]', action: 'restart', timing: 'delayed' }] });
      r.execute('e', { command: ['true'], notifies: [{ resource: `file[${join(dir, 'n')}]`, action: 'restart', timing: 'immediately' }] });
    },
    duplicate: (r) => {
      r.file(join(dir, 'd'), { content: 'one' });
      r.file(join(dir, 'd'), { content: 'one' });
      r.file(join(dir, 'd'), { content: 'two' });
    },
    throws: () => {
      throw new Error('boom');
    },
  },
};

const errorsOf = (runList: string[], attributes = {}) => compile(testRole(runList, attributes), [cookbook], {}).errors;

describe('compile rejects', () => {
  test('an unknown resource kind (as a JS recipe from a server could declare)', () => {
    expect(errorsOf(['ct::bogus'])).toEqual([expect.stringMatching(/^ct::bogus: bogus\[thing\]: unknown resource kind "bogus" \(known: apt_package, /)]);
  });

  test('props of the wrong type, unknown props and unknown actions, each named', () => {
    expect(errorsOf(['ct::wrongType'])).toEqual([
      'ct::wrongType: service[svc]: props.readyTimeoutMs: Invalid input: expected number, received string',
      `ct::wrongType: file[${dir}/typo]: props.mod: unknown key (known: action, content, mode, owner, group, sensitive, notifies)`,
      'ct::wrongType: execute[bad-action]: action sprint is not one of run, nothing',
    ]);
  });

  test('notifications to a missing resource or an action the target lacks', () => {
    expect(errorsOf(['ct::missingTarget'])).toEqual([
      `ct::missingTarget: file[${dir}/n]: notifies service[nope], which is not declared`,
      `ct::missingTarget: execute[e]: notifies file[${dir}/n] to restart, which it cannot (actions: create, delete)`,
    ]);
  });

  test('a resource declared twice differently (the same twice is fine), unknown recipes, a throwing recipe', () => {
    expect(errorsOf(['ct::duplicate'])).toEqual([`ct::duplicate: file[${dir}/d]: declared again with different props (first in ct::duplicate)`]);
    expect(errorsOf(['ct::nope', 'nope'])).toEqual([
      'role provision-test: run list: unknown recipe ct::nope (cookbook ct has default, other, bogus, wrongType, missingTarget, duplicate, throws)',
      'role provision-test: run list: unknown recipe nope::default',
    ]);
    expect(errorsOf(['ct::throws'])).toEqual(['ct::throws: the recipe threw: boom']);
  });

  test('attributes that fail the cookbook schema', () => {
    expect(errorsOf(['ct'], { ct: { port: 'high' } })).toEqual(['attributes ct.port: Invalid input: expected number, received string']);
  });

  test('attributes: cookbook defaults < role defaults < node file, objects merged, arrays replaced', () => {
    const role = testRole(['ct'], { ct: { name: 'role' } });
    const { node, errors } = compile(role, [cookbook], { ct: { port: 8000 } });
    expect(errors).toEqual([]);
    expect(node).toEqual({ ct: { port: 8000, name: 'role' } });
    expect(deepMerge({ other: { list: [1, 2], keep: true } }, { other: { list: [3] } })).toEqual({ other: { list: [3], keep: true } });
    // A subtree no cookbook of the run reads is rejected, not carried along.
    expect(compile(role, [cookbook], { other: { keep: true } }).errors).toEqual(['attributes other: unknown key (no cookbook of this run is named so; its cookbooks: ct)']);
  });

  test('converge with bad recipes or attributes exits 2, lists every error, and touches nothing', async () => {
    const bad = await convergeTest([cookbook], testRole(['ct', 'ct::bogus', 'ct::wrongType', 'ct::missingTarget']), { json: true });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).errors).toHaveLength(6);
    expect(bad.err).toMatch(/^provision: nothing was changed:\n {2}ct::bogus: bogus\[thing\]/);
    const badAttributes = await convergeTest([cookbook], testRole(['ct'], { ct: { port: 'high' } }));
    expect(badAttributes.code).toBe(2);
    const missingFile = await convergeTest([cookbook], testRole(['ct']), { attributesFile: join(dir, 'missing.json') });
    expect(missingFile.code).toBe(2);
    expect(missingFile.err).toContain(`attributes file ${dir}/missing.json: ENOENT: no such file or directory`);
    expect((await convergeTest([cookbook], testRole(['ct']), { role: 'nobody' })).err).toContain('unknown role nobody (known: provision-test)');
    expect(readdirSync(dir)).toEqual([]);
  });
});
