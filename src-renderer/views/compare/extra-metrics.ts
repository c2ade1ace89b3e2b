import type { EvalPoint } from '../../../src-core/contracts/train-protocol';
import type { TrainConfig } from '../../../src-core/contracts/train-config';
import { stabilityThreshold } from '../../../src-core/train/sharpness/sentences';

// The Compare view's further metrics (issue 15): sharpness, sharpness over
// the run's heavy-ball threshold, and per layer the sign-flip fraction and the
// median step over a plain gradient step. Each gives per run the evaluations
// that carry it; a run without it gives none (and is named as such).

export const EXTRA_METRICS = [
  { id: 'sharpness', label: 'sharpness λ_max', yLabel: 'λ_max', log: false },
  { id: 'edge', label: 'sharpness over the threshold, lr·λ_max / (2(1+d))', yLabel: 'lr·λ_max / (2(1+d))', log: false },
  { id: 'fc1Flip', label: 'first-layer sign-flip fraction', yLabel: 'flip fraction', log: false },
  { id: 'fc2Flip', label: 'second-layer sign-flip fraction', yLabel: 'flip fraction', log: false },
  { id: 'fc1Ratio', label: 'first-layer step over a plain gradient step', yLabel: '|Δw|/(lr|g|)', log: false },
  { id: 'fc2Ratio', label: 'second-layer step over a plain gradient step', yLabel: '|Δw|/(lr|g|)', log: false },
] as const;
export type ExtraMetric = (typeof EXTRA_METRICS)[number]['id'];

/** The metric's values of one run against iteration (only the evaluations that carry a finite value). */
export function extraMetricOf(
  points: readonly EvalPoint[],
  config: TrainConfig,
  metric: ExtraMetric,
): { iters: number[]; ys: number[] } {
  const iters: number[] = [];
  const ys: number[] = [];
  const threshold =
    metric === 'edge'
      ? stabilityThreshold({ optimizer: config.optimizer, lr: config.lr, momentum: config.momentum }).value
      : null;
  if (metric === 'edge' && threshold === null) return { iters, ys };
  for (const p of points) {
    let y: number | null | undefined;
    if (metric === 'sharpness') y = p.sharpness;
    else if (metric === 'edge') y = p.sharpness === undefined ? undefined : p.sharpness / threshold!;
    else {
      const l = p.layers?.find((x) => x.layer === (metric.startsWith('fc1') ? 'fc1' : 'fc2'));
      y = metric.endsWith('Flip') ? l?.flipFraction : l?.velocityRatio;
    }
    if (y === undefined || y === null || !Number.isFinite(y)) continue;
    iters.push(p.iter);
    ys.push(y);
  }
  return { iters, ys };
}
