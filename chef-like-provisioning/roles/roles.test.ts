/** The shipped roles against this machine: test-services converges (adopting the running servers) and is quick the second time. */
import { compile } from '../compile';
import { cookbooks } from '../cookbooks';
import { runResources } from '../runner';
import { roles } from './index';

const role = (name: string) => roles.find((r) => r.name === name)!;

test('every role compiles against the shipped cookbooks', () => {
  for (const r of roles) expect({ role: r.name, errors: compile(r, cookbooks).errors }).toEqual({ role: r.name, errors: [] });
});

test('test-services converges, then a second run changes nothing', async () => {
  const compiled = compile(role('test-services'), cookbooks);
  const first = await runResources(compiled.resources, { whyRun: false, node: compiled.node });
  expect(first.resources.filter((r) => r.status === 'failed')).toEqual([]);
  const second = await runResources(compiled.resources, { whyRun: false, node: compiled.node });
  expect(second.resources.filter((r) => r.status !== 'up-to-date')).toEqual([]);
  // Speed is a figure, not an assertion: two shared cores make any bound either loose or flaky.
  console.log(`second (no-op) converge of test-services: ${second.seconds.toFixed(2)} s`);
}, 180_000);

test('all-in-one plans without failing (why-run: nothing is changed here)', async () => {
  const compiled = compile(role('all-in-one'), cookbooks);
  const report = await runResources(compiled.resources, { whyRun: true, node: compiled.node });
  expect(report.resources.filter((r) => r.status === 'failed')).toEqual([]);
  expect(report.resources.map((r) => r.id)).toEqual(expect.arrayContaining(['service[redis-6390]', 'service[zookeeper-2181]', 'service[tributary-web-api]']));
}, 60_000);
