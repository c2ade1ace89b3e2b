import { describe, expect, it } from 'vitest';
import { bestIndex, smooth, xsOf } from './compare-series';
import { evalPoint } from '../contracts/test-helpers';

describe('compare series', () => {
  it('smoothing with weight 0 changes nothing, and a constant stays constant at any weight (bias-corrected)', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    for (const v of smooth([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
  });

  it('smoothing lets non-finite values through without poisoning the average', () => {
    const s = smooth([1, NaN, 1, Infinity, 1], 0.6);
    expect(s[1]).toBeNaN();
    expect(s[3]).toBe(Infinity);
    expect(s[4]).toBeCloseTo(1, 12);
  });

  it('the best point is the highest accuracy or the lowest loss, first on ties, skipping NaN', () => {
    expect(bestIndex([0.5, NaN, 0.9, 0.9, 0.7], true)).toBe(2);
    expect(bestIndex([2, 1, Infinity, 1.5], false)).toBe(1);
    expect(bestIndex([NaN], true)).toBe(-1);
  });

  it('the wall-clock axis is each evaluation elapsed time in seconds; the others read their field', () => {
    const p = (iter: number, elapsedMs: number) => evalPoint(iter, { elapsedMs });
    const pts = [p(0, 0), p(200, 1250), p(400, 2600)];
    expect(xsOf(pts, 'time')).toEqual([0, 1.25, 2.6]);
    expect(xsOf(pts, 'iter')).toEqual([0, 200, 400]);
    expect(xsOf(pts, 'examples')).toEqual([0, 6400, 12800]);
  });
});
