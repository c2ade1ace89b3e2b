import { describe, expect, it } from 'vitest';
import { edgeRatioSeries, edgeSummary } from './edge-ratio';

describe('sharpness over the stability threshold', () => {
  it('is lr·λ_max / (2(1 + d)): 1 exactly at the edge, for every LR and d', () => {
    for (const [lr, d] of [
      [0.1, 0],
      [0.02, 0.9],
      [0.005, 0.5],
    ]) {
      const edge = (2 * (1 + d)) / lr;
      const e = edgeRatioSeries([{ iter: 1, sharpness: edge }, { iter: 2, sharpness: edge / 4 }, { iter: 3 }], {
        optimizer: 'heavy-ball',
        lr,
        momentum: d,
      })!;
      expect(e.iters).toEqual([1, 2]);
      expect(e.ratio[0]).toBeCloseTo(1, 12);
      expect(e.ratio[1]).toBeCloseTo(0.25, 12);
      expect(e.ratio[1]).toBeCloseTo((lr * (edge / 4)) / (2 * (1 + d)), 12);
    }
  });

  it('has none for Nesterov, Adam, d >= 1 or no measurement; leaves out non-finite values', () => {
    expect(edgeRatioSeries([{ iter: 1, sharpness: 3 }], { optimizer: 'adam', lr: 0.001, momentum: 0.9 })).toBeNull();
    expect(edgeRatioSeries([{ iter: 1, sharpness: 3 }], { optimizer: 'nesterov', lr: 0.1, momentum: 0.9 })).toBeNull();
    expect(
      edgeRatioSeries([{ iter: 1, sharpness: 3 }], { optimizer: 'heavy-ball', lr: 0.1, momentum: 1.05 }),
    ).toBeNull();
    expect(
      edgeRatioSeries([{ iter: 1 }, { iter: 2, sharpness: NaN }], { optimizer: 'heavy-ball', lr: 0.1, momentum: 0 }),
    ).toBeNull();
  });

  it('summarises the peak and the last value', () => {
    expect(edgeSummary({ iters: [10, 20, 30], ratio: [0.2, 0.9, 0.5] })).toEqual({
      peak: 0.9,
      peakIter: 20,
      last: 0.5,
      lastIter: 30,
    });
  });
});
