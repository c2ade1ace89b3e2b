import { beforeAll, describe, expect, it } from 'vitest';
import { classBalancedSubset } from '../data/subset';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { rngFor, STREAMS } from '../rng';
import type { TrainData } from './trainer';
import { validationSplit } from './validation-split';

// The validation split on the real MNIST training labels: class-balanced, disjoint from what the run trains on,
// the same for the same seed and different for another.

let mnist: TrainData;
beforeAll(() => {
  mnist = loadDataset(builtinMnistFiles()).data;
});

const perClassCount = (labels: Uint8Array, idx: Int32Array) => {
  const c = new Array<number>(10).fill(0);
  for (const i of idx) c[labels[i]]++;
  return c;
};

describe('validation split', () => {
  it('an all-images run: 500 per class, the run trains on exactly the other 55,000', () => {
    const s = validationSplit(mnist.trainLabels, 5000, null, rngFor(1, STREAMS.validation));
    expect(perClassCount(mnist.trainLabels, s.validation)).toEqual(new Array(10).fill(500));
    expect(s.train.length).toBe(55_000);
    const seen = new Uint8Array(60_000);
    for (const i of s.validation) seen[i]++;
    for (const i of s.train) seen[i]++;
    expect(seen.every((x) => x === 1)).toBe(true); // a partition of the file
    expect([...s.validation].every((v, k, a) => k === 0 || a[k - 1] < v)).toBe(true);
  });

  it('a 10-image run still gets 5,000 validation images, none of them in its subset, and the subset is unchanged', () => {
    const subset = classBalancedSubset(mnist.trainLabels, 1, rngFor(3, STREAMS.subset));
    const s = validationSplit(mnist.trainLabels, 5000, subset, rngFor(3, STREAMS.validation));
    expect([...s.train]).toEqual([...subset]);
    expect(s.validation.length).toBe(5000);
    expect(perClassCount(mnist.trainLabels, s.validation)).toEqual(new Array(10).fill(500));
    const inSubset = new Set(subset);
    expect([...s.validation].some((i) => inSubset.has(i))).toBe(false);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = validationSplit(mnist.trainLabels, 1000, null, rngFor(7, STREAMS.validation)).validation;
    const b = validationSplit(mnist.trainLabels, 1000, null, rngFor(7, STREAMS.validation)).validation;
    const c = validationSplit(mnist.trainLabels, 1000, null, rngFor(8, STREAMS.validation)).validation;
    expect([...a]).toEqual([...b]);
    const overlap = [...a].filter((i) => new Set(c).has(i)).length;
    // Two independent draws of 100 per class out of ~6,000 share about 1.7 % of their images.
    expect(overlap).toBeLessThan(100);
  });

  it('0 = no validation set; too large a set is refused with the class and the room left', () => {
    const none = validationSplit(mnist.trainLabels, 0, null, rngFor(1, STREAMS.validation));
    expect(none.validation.length).toBe(0);
    expect(none.train.length).toBe(60_000);
    // Class 5 has 5,421 training images; 5,000 of them in the subset leave 421.
    const subset = classBalancedSubset(mnist.trainLabels, 5000, rngFor(1, STREAMS.subset));
    expect(() => validationSplit(mnist.trainLabels, 5000, subset, rngFor(1, STREAMS.validation))).toThrow(
      /class 5 has only 421 training images outside the training subset; ask for at most 4210/,
    );
    expect(() => validationSplit(mnist.trainLabels, 55, null, rngFor(1, STREAMS.validation))).toThrow(/multiple of 10/);
  });
});
