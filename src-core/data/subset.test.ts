import { describe, expect, it } from 'vitest';
import { LabError } from '../contracts/lab-error';
import { rngFor } from '../rng';
import { classBalancedSubset, classCounts } from './subset';

function fakeLabels(n: number, seed: number): Uint8Array {
  const r = rngFor(seed, 'labels');
  return Uint8Array.from({ length: n }, () => r.nextInt(10));
}

describe('class-balanced subsets', () => {
  const labels = fakeLabels(5000, 1);

  it('hold exactly N distinct indices of every class, sorted', () => {
    const s = classBalancedSubset(labels, 37, rngFor(5, 'subset'));
    expect(s.length).toBe(370);
    const seen = new Set(s);
    expect(seen.size).toBe(370);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
    const per = classCounts(Uint8Array.from(s, (i) => labels[i]));
    expect(per).toEqual(new Array(10).fill(37));
  });

  it('are the same for the same seed and differ for another', () => {
    const a = classBalancedSubset(labels, 20, rngFor(5, 'subset'));
    expect(classBalancedSubset(labels, 20, rngFor(5, 'subset'))).toEqual(a);
    expect(classBalancedSubset(labels, 20, rngFor(6, 'subset'))).not.toEqual(a);
  });

  it('can take a whole class', () => {
    const counts = classCounts(labels);
    const min = Math.min(...counts);
    const s = classBalancedSubset(labels, min, rngFor(1, 'subset'));
    expect(s.length).toBe(10 * min);
  });

  it('refuse more per class than a class holds, naming the class', () => {
    const small = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => classBalancedSubset(small, 2, rngFor(1, 's'))).toThrow(LabError);
    expect(() => classBalancedSubset(small, 2, rngFor(1, 's'))).toThrow(/class 9 has only 1/);
    expect(() => classBalancedSubset(small, 0, rngFor(1, 's'))).toThrow(RangeError);
  });
});
