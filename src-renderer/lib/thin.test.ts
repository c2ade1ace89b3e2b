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

  it('ends when a point lies on a bucket edge in the last bit (the freeze after a cancel), keeping every extreme', () => {
    // x1 110 over 800 buckets: 33 / (110 / 800) is 239.99999999999997, so x = 33 belongs to bucket 239, whose end
    // computed as 240 * (110 / 800) is 33. Such a domain comes from a run cancelled at iteration 110.
    const n = 1761;
    const x = Float64Array.from({ length: n }, (_, i) => i / 16);
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.37) + (i === 528 ? 50 : 0));
    const r = thinMinMax(x, y, n, 0, 110, 800);
    expect(r.x.length).toBeLessThanOrEqual(1600);
    expect([...r.x]).toContain(33);
    // Oracle: a dense pass over the points, bucket by bucket (the same bucket rule), gives the minima and maxima.
    const width = 110 / 800;
    const lo = new Map<number, number>();
    const hi = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const b = Math.min(799, Math.floor(x[i] / width));
      lo.set(b, Math.min(lo.get(b) ?? Infinity, y[i]));
      hi.set(b, Math.max(hi.get(b) ?? -Infinity, y[i]));
    }
    const kept = new Set(r.y);
    for (const v of [...lo.values(), ...hi.values()]) expect(kept.has(v)).toBe(true);
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
