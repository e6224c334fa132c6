import { delayS, effectiveIntervalS } from './schedule';

const settings = { minIntervalS: 60, backoffMaxS: 3600 };

describe('source schedule', () => {
  it('raises an interval below the minimum to it and keeps a longer one', () => {
    expect(effectiveIntervalS(10, settings)).toBe(60);
    expect(effectiveIntervalS(300, settings)).toBe(300);
  });

  it('waits the interval after a success and doubles per failure up to the cap', () => {
    expect(delayS(300, 0, settings)).toBe(300);
    expect(delayS(300, 1, settings)).toBe(600);
    expect(delayS(300, 3, settings)).toBe(2400);
    expect(delayS(300, 4, settings)).toBe(3600);
    expect(delayS(300, 1000, settings)).toBe(3600);
  });

  it('never backs off to less than the interval itself', () => {
    expect(delayS(7200, 5, settings)).toBe(7200);
  });
});
