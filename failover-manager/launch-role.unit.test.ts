/** The role a managed Redis node starts as, for every state of the master record (ADR 010). */
import type { MasterRecord } from '../core/discovery/failover-state';
import { launchRole } from './launch-role';

const [A, B] = ['10.0.0.1:6390', '10.0.0.2:6391'];
const record = (master: string): MasterRecord => ({ master, replicas: [], epoch: 7, changedAt: '2026-01-01T00:00:00Z', reason: 'test' });

test('with no record the attributes seed the role', () => {
  expect(launchRole(A, null, null)).toEqual({ replicaof: null, why: 'no master record yet: master, as the attributes seed it' });
  expect(launchRole(B, A, null)).toMatchObject({ replicaof: A });
});

test('the record overrides the seed: a seeded master follows the recorded one', () => {
  expect(launchRole(A, null, record(B))).toEqual({ replicaof: B, why: `replica of ${B}, the master the failover managers recorded (epoch 7)` });
  expect(launchRole(B, A, record(A))).toMatchObject({ replicaof: A });
});

test('the recorded master itself starts fenced, as a replica of itself, never as a master', () => {
  expect(launchRole(B, A, record(B))).toEqual({ replicaof: B, why: expect.stringContaining('fenced as a replica of itself') });
  expect(launchRole(A, null, record(A)).replicaof).toBe(A);
});
