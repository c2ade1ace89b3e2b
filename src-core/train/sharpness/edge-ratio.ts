import type { OptimizerKind } from '../../contracts/train-config';
import { stabilityThreshold } from './sentences';

// Sharpness as a share of the run's heavy-ball stability threshold:
// lr·λ_max / (2(1 + d)) = λ_max / (2(1 + d)/lr). Every run's edge of
// stability is then the line y = 1, whatever its LR and d (the
// edge-of-stability study's overlay). Null where the threshold does not apply.

export interface EdgeSeries {
  iters: number[];
  ratio: number[];
}

export function edgeRatioSeries(
  points: readonly { iter: number; sharpness?: number }[],
  s: { optimizer: OptimizerKind; lr: number; momentum: number },
): EdgeSeries | null {
  const t = stabilityThreshold(s);
  if (t.value === null) return null;
  const iters: number[] = [];
  const ratio: number[] = [];
  for (const p of points) {
    if (p.sharpness === undefined || !Number.isFinite(p.sharpness)) continue;
    iters.push(p.iter);
    ratio.push(p.sharpness / t.value);
  }
  return iters.length ? { iters, ratio } : null;
}

/** Peak and last of a run's edge ratio. */
export function edgeSummary(e: EdgeSeries): { peak: number; peakIter: number; last: number; lastIter: number } {
  let k = 0;
  for (let i = 1; i < e.ratio.length; i++) if (e.ratio[i] > e.ratio[k]) k = i;
  return { peak: e.ratio[k], peakIter: e.iters[k], last: e.ratio.at(-1)!, lastIter: e.iters.at(-1)! };
}
