import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../contracts/train-protocol';
import { metricSeries } from './metric-series';

const point = (iter: number, testAcc: number, testLoss: number, val?: [number, number]): EvalPoint => ({
  iter,
  epoch: iter / 10,
  examples: iter * 32,
  trainLoss: testLoss + 0.1,
  trainAcc: testAcc - 0.01,
  testLoss,
  testAcc,
  elapsedMs: iter * 5,
  ...(val ? { valLoss: val[0], valAcc: val[1] } : {}),
});

describe('metric series', () => {
  it('without a validation set the best point is the best test value (highest accuracy, lowest loss)', () => {
    const pts = [point(10, 0.8, 0.6), point(20, 0.9, 0.4), point(30, 0.85, 0.5)];
    const acc = metricSeries(pts, { axis: 'iter', metric: 'Acc', smoothing: 0 });
    expect(acc).toMatchObject({ xs: [10, 20, 30], test: [0.8, 0.9, 0.85], best: 1, bestOn: 'test', val: null });
    expect(acc.train).toEqual([0.8 - 0.01, 0.9 - 0.01, 0.85 - 0.01]);
    expect(metricSeries(pts, { axis: 'epoch', metric: 'Loss', smoothing: 0 })).toMatchObject({
      xs: [1, 2, 3],
      best: 1,
    });
  });

  it('with a validation set the best point is the lowest validation loss, for loss and accuracy alike', () => {
    // Test accuracy peaks at 20, validation loss is lowest at 30: the lab's rule picks 30.
    const pts = [point(10, 0.8, 0.6, [0.7, 0.7]), point(20, 0.95, 0.4, [0.5, 0.8]), point(30, 0.9, 0.45, [0.3, 0.85])];
    const acc = metricSeries(pts, { axis: 'iter', metric: 'Acc', smoothing: 0 });
    expect(acc).toMatchObject({ best: 2, bestOn: 'validation', val: [0.7, 0.8, 0.85] });
    expect(metricSeries(pts, { axis: 'iter', metric: 'Acc', smoothing: 0, validation: false })).toMatchObject({
      best: 1,
      bestOn: 'test',
      val: null,
    });
  });

  it('smoothing changes the shown values only; the raw values and the best point stay', () => {
    const pts = [point(1, 0.5, 2), point(2, 0.9, 1), point(3, 0.6, 1.5)];
    const s = metricSeries(pts, { axis: 'iter', metric: 'Loss', smoothing: 0.5 });
    expect(s.test).toEqual([2, 1, 1.5]);
    // Bias-corrected EMA by hand: s_2 = (0.5 * (0.5 * 2) + 0.5 * 1) / (1 - 0.5^2).
    expect(s.testShown[0]).toBeCloseTo(2, 12);
    expect(s.testShown[1]).toBeCloseTo((0.5 * 0.5 * 2 + 0.5 * 1) / 0.75, 12);
    expect(s.best).toBe(1);
  });
});
