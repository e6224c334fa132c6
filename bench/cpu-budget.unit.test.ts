import { type CpuReading, cpuPerPost, cpuSecondsBetween, processesNamed, readCpu } from './cpu-budget';

const reading = (parts: Record<string, [number, number][]>, busyTicks: number): CpuReading => ({
  parts: new Map(Object.entries(parts).map(([name, pids]) => [name, new Map(pids)])),
  machine: { busy: busyTicks, total: busyTicks * 2 },
});

describe('cpuSecondsBetween', () => {
  it('sums each process\'s growth, counts a process born in between whole, and skips one that is gone (NaN)', () => {
    const before = new Map([[1, 2], [2, 5], [3, 1]]);
    const after = new Map([[1, 2.5], [2, Number.NaN], [4, 0.25]]);
    expect(cpuSecondsBetween(before, after)).toBeCloseTo(0.75);
  });
});

describe('cpuPerPost', () => {
  it('splits the phase\'s CPU per post by part, the machine\'s unaccounted busy time as other', () => {
    const a = reading({ 'web-api': [[10, 1]], postgres: [[20, 3], [21, 0]] }, 1000);
    // 2 s of machine busy time (200 ticks) over 1 000 posts: web-api 0.5 s, Postgres 0.75 s, 0.75 s unaccounted.
    const b = reading({ 'web-api': [[10, 1.5]], postgres: [[20, 3.5], [21, 0.25]] }, 1200);
    expect(cpuPerPost(a, b, 1000)).toEqual({ 'web-api': 0.5, postgres: 0.75, other: 0.75, total: 2 });
  });

  it('never reports a negative other: the processes\' counters may run ahead of the machine\'s', () => {
    const a = reading({ load: [[1, 0]] }, 0);
    const b = reading({ load: [[1, 1]] }, 50);
    expect(cpuPerPost(a, b, 100)).toEqual({ load: 10, other: 0, total: 10 });
  });

  it('is NaN per post when nothing was acknowledged', () => {
    const out = cpuPerPost(reading({ load: [[1, 0]] }, 0), reading({ load: [[1, 1]] }, 100), 0);
    expect(out.load).toBeNaN();
  });
});

describe('readCpu', () => {
  it('reads this process by pid, and finds no process by a name nothing has', () => {
    expect(processesNamed('nosuchprocess')).toEqual([]);
    const r = readCpu([{ name: 'self', pids: () => [process.pid] }]);
    expect(r.parts.get('self')?.get(process.pid)).toBeGreaterThan(0);
    expect(r.machine.total).toBeGreaterThan(0);
  });
});
