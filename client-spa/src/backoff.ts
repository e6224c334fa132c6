/** The wait before the next try after `failures` failures in a row (1 for the first retry): `firstMs`, doubling up to `maxMs`. */
export const backoffMs = (failures: number, firstMs: number, maxMs: number): number => Math.min(maxMs, firstMs * 2 ** (failures - 1));
