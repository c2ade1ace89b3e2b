import { describe, expect, it } from 'vitest';
import { generalisationGap } from './gap';
import { aggregateSeeds, commonGrid, interpolate } from './seeds';

describe('seed aggregation on a common x grid', () => {
  it('gives mean, min-max and the sample standard deviation at shared x', () => {
    const band = aggregateSeeds([
      { xs: [0, 10, 20], ys: [1, 2, 3] },
      { xs: [0, 10, 20], ys: [3, 4, 5] },
    ]);
    expect(band.xs).toEqual([0, 10, 20]);
    expect(band.mean).toEqual([2, 3, 4]);
    expect(band.min).toEqual([1, 2, 3]);
    expect(band.max).toEqual([3, 4, 5]);
    expect(band.sd[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(band.n).toEqual([2, 2, 2]);
  });

  it('interpolates curves evaluated at other x, over the range all of them cover', () => {
    const a = { xs: [0, 10, 20, 30], ys: [0, 10, 20, 30] };
    const b = { xs: [5, 15, 25], ys: [0, 0, 0] };
    expect(commonGrid([a, b])).toEqual([5, 10, 15, 20, 25]);
    expect(interpolate(a, 15)).toBe(15);
    expect(interpolate(b, 30)).toBeNaN();
    expect(aggregateSeeds([a, b]).mean).toEqual([2.5, 5, 7.5, 10, 12.5]);
  });

  it('leaves out non-finite values (a diverged seed) and counts what is left', () => {
    const band = aggregateSeeds([
      { xs: [1, 2], ys: [1, 1] },
      { xs: [1, 2], ys: [3, NaN] },
    ]);
    expect(band.mean).toEqual([2, 1]);
    expect(band.n).toEqual([2, 1]);
    expect(band.sd[1]).toBe(0);
  });
});

describe('generalisation gap', () => {
  it('is test loss minus train loss, and train accuracy minus test accuracy', () => {
    const g = generalisationGap([
      { iter: 1, epoch: 0, examples: 1, trainLoss: 0.1, trainAcc: 1, testLoss: 0.6, testAcc: 0.75, elapsedMs: 0 },
    ]);
    expect(g.loss[0]).toBeCloseTo(0.5, 12);
    expect(g.acc[0]).toBe(0.25);
  });
});
