import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { EvalPoint } from '../../../src-core/contracts/train-protocol';
import { extraMetricOf } from './extra-metrics';

const p = (iter: number, over: Partial<EvalPoint> = {}): EvalPoint => ({
  iter,
  epoch: 0,
  examples: 0,
  trainLoss: 1,
  trainAcc: 0.5,
  testLoss: 1,
  testAcc: 0.5,
  elapsedMs: 0,
  ...over,
});
const layers = (f1: number | null, r1: number | null) => [
  { layer: 'fc1' as const, flipFraction: f1, velocityRatio: r1 },
  { layer: 'fc2' as const, flipFraction: 0.25, velocityRatio: 4 },
];

describe('Compare: sharpness and flip metrics', () => {
  const pts = [
    p(10, { layers: layers(0.6, 0.5) }),
    p(20, { sharpness: 5, layers: layers(null, 0.7) }),
    p(30, { sharpness: NaN }),
    p(40, { sharpness: 19 }),
  ];
  const hb = { ...DEFAULT_TRAIN_CONFIG, lr: 0.1, momentum: 0 };

  it('takes only the evaluations that carry a finite value', () => {
    expect(extraMetricOf(pts, hb, 'sharpness')).toEqual({ iters: [20, 40], ys: [5, 19] });
    expect(extraMetricOf(pts, hb, 'fc1Flip')).toEqual({ iters: [10], ys: [0.6] });
    expect(extraMetricOf(pts, hb, 'fc1Ratio')).toEqual({ iters: [10, 20], ys: [0.5, 0.7] });
    expect(extraMetricOf(pts, hb, 'fc2Flip')).toEqual({ iters: [10, 20], ys: [0.25, 0.25] });
    expect(extraMetricOf(pts, hb, 'fc2Ratio')).toEqual({ iters: [10, 20], ys: [4, 4] });
  });

  it('divides by 2(1+d)/lr for heavy-ball and gives nothing where the threshold does not apply', () => {
    expect(extraMetricOf(pts, hb, 'edge')).toEqual({ iters: [20, 40], ys: [0.25, 0.95] });
    const d9 = extraMetricOf(pts, { ...hb, lr: 0.019, momentum: 0.9 }, 'edge');
    expect(d9.ys[1]).toBeCloseTo((0.019 * 19) / 3.8, 12);
    expect(extraMetricOf(pts, { ...hb, optimizer: 'adam' }, 'edge')).toEqual({ iters: [], ys: [] });
  });
});
