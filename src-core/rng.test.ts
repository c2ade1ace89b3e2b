import { describe, expect, it } from 'vitest';
import { createRng, rngFor, Rng } from './rng';

const draws = (r: Rng, n: number) => Array.from({ length: n }, () => r.nextU32());

describe('rng', () => {
  it('the same seed and stream give the same sequence', () => {
    expect(draws(rngFor(7, 'init'), 50)).toEqual(draws(rngFor(7, 'init'), 50));
  });

  it('different seeds, and different streams of one seed, give different sequences', () => {
    const a = draws(rngFor(7, 'init'), 20);
    expect(draws(rngFor(8, 'init'), 20)).not.toEqual(a);
    expect(draws(rngFor(7, 'order'), 20)).not.toEqual(a);
    expect(draws(createRng(7), 20)).not.toEqual(a);
  });

  it('nextFloat lies in [0, 1) with a mean near 1/2', () => {
    const r = rngFor(1, 'x');
    let s = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const f = r.nextFloat();
      if (!(f >= 0 && f < 1)) outside++;
      s += f;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('nextInt(n) covers 0..n-1 about uniformly and rejects bad n', () => {
    const r = rngFor(2, 'x');
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(r.nextInt(1)).toBe(0);
    expect(() => r.nextInt(0)).toThrow(RangeError);
    expect(() => r.nextInt(2.5)).toThrow(RangeError);
  });

  it('shuffle permutes in place, deterministically, and only within the range asked', () => {
    const a = Int32Array.from({ length: 100 }, (_, i) => i);
    const b = a.slice();
    rngFor(3, 's').shuffle(a);
    rngFor(3, 's').shuffle(b);
    expect(a).toEqual(b);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(a).not.toEqual(Int32Array.from({ length: 100 }, (_, i) => i));
    const c = Int32Array.from({ length: 10 }, (_, i) => i);
    rngFor(4, 's').shuffle(c, 2, 5);
    expect(Array.from(c.subarray(0, 2))).toEqual([0, 1]);
    expect(Array.from(c.subarray(5))).toEqual([5, 6, 7, 8, 9]);
    expect(() => rngFor(4, 's').shuffle(c, 3, 11)).toThrow(RangeError);
  });

  it('rejects seeds outside [0, 2^32)', () => {
    expect(() => rngFor(-1, 'a')).toThrow(RangeError);
    expect(() => rngFor(2 ** 32, 'a')).toThrow(RangeError);
    expect(() => rngFor(1.5, 'a')).toThrow(RangeError);
  });
});
