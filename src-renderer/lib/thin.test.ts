import { describe, expect, it } from 'vitest';
import { nearestIndex, thinMinMax } from './thin';

const ramp = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('thinMinMax', () => {
  it('keeps a short series as it is', () => {
    const r = thinMinMax([1, 2, 3], [5, 6, 7], 3, 0, 10, 100);
    expect([...r.x]).toEqual([1, 2, 3]);
    expect([...r.y]).toEqual([5, 6, 7]);
  });

  it('reduces a long series to at most two points per bucket and keeps its spikes', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    y[5_000] = 100;
    y[7_000] = -100;
    const r = thinMinMax(ramp(n), y, n, 0, n - 1, 100);
    expect(r.x.length).toBeLessThanOrEqual(200);
    expect([...r.y]).toContain(100);
    expect([...r.y]).toContain(-100);
    for (let i = 1; i < r.x.length; i++) expect(r.x[i]).toBeGreaterThanOrEqual(r.x[i - 1]);
  });

  it('turns a non-finite value into a NaN gap instead of a point', () => {
    const n = 1_000;
    const y = Float64Array.from({ length: n }, () => 1);
    y[500] = Infinity;
    const r = thinMinMax(ramp(n), y, n, 0, n - 1, 50);
    expect([...r.y].some(Number.isNaN)).toBe(true);
    expect([...r.y].some((v) => v === Infinity)).toBe(false);
  });

  it('refuses zero buckets', () => {
    expect(() => thinMinMax([1], [1], 1, 0, 1, 0)).toThrow(RangeError);
  });
});

describe('nearestIndex', () => {
  it('finds the nearest x in a sorted series', () => {
    expect(nearestIndex([0, 10, 20], 3, 14)).toBe(1);
    expect(nearestIndex([0, 10, 20], 3, 16)).toBe(2);
    expect(nearestIndex([0, 10, 20], 3, -5)).toBe(0);
    expect(nearestIndex([], 0, 1)).toBe(-1);
  });
});
