/** Unknown attribute keys are rejected with their path, at every depth of every shipped cookbook's schema. */
import type { Attributes } from './api';
import { compile } from './compile';
import { cookbooks } from './cookbooks';
import { roles } from './roles';
import { objectSchemas } from './schema-walk';

const allInOne = roles.find((r) => r.name === 'all-in-one')!;

test('a misspelled key fails the compile, naming its path and the keys it could have meant', () => {
  const node: Attributes = { redis: { instances: [{ port: 6390 }, { port: 6391, maxmemroy: '64mb' }] } };
  const { errors, resources } = compile(allInOne, cookbooks, node);
  expect(errors).toEqual(['attributes redis.instances.1.maxmemroy: unknown key (known: port, replicaof, maxmemory)']);
  expect(resources).toEqual([]);
});

test('unknown keys at the top of a cookbook, nested in an object, and naming no cookbook of the run', () => {
  const node = { zookeeper: { heapMB: 64, ensemble: { sise: 5 } }, redsi: { instances: [] } };
  expect(compile(allInOne, cookbooks, node).errors).toEqual([
    'attributes zookeeper.ensemble.sise: unknown key (known: size, basePort, peerBasePort, electionBasePort, tickTime)',
    'attributes zookeeper.heapMB: unknown key (known: clientPort, dataDir, heapMb, tickTime, ensemble)',
    expect.stringMatching(/^attributes redsi: unknown key \(no cookbook of this run is named so; its cookbooks: postgresql, zookeeper, redis, tributary\)$/),
  ]);
});

test('every object in every shipped cookbook schema rejects unknown keys', () => {
  const lax = cookbooks.flatMap((c) => objectSchemas(c.attributes).filter((o) => !o.strict).map((o) => `${c.name}.${o.path}`));
  expect(lax).toEqual([]);
  // The walk does see the nested ones (so the check above is not vacuous).
  expect(objectSchemas(cookbooks.find((c) => c.name === 'redis')!.attributes).map((o) => o.path)).toEqual(['', 'instances.*', 'failover', 'system']);
});
