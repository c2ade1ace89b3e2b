import type { EvalPoint } from '../contracts/train-protocol';

// Pure helpers of comparison charts (Compare, Studies and the figure builder): the x axis, smoothing and best points.

export type XAxis = 'iter' | 'epoch' | 'examples' | 'time';
export const X_LABELS: Record<XAxis, string> = {
  iter: 'iteration',
  epoch: 'epoch',
  examples: 'training examples seen',
  time: 'wall-clock time (s since the run started)',
};

export function xsOf(points: readonly EvalPoint[], axis: XAxis): number[] {
  // Wall-clock: the evaluation's elapsed time in seconds (EvalPoint.elapsedMs / 1000).
  return points.map((p) => (axis === 'time' ? p.elapsedMs / 1000 : p[axis]));
}

/**
 * Exponential moving average with bias correction (as TensorBoard's
 * smoothing): s_t = w*s_{t-1} + (1-w)*y_t, shown as s_t / (1 - w^t).
 * Non-finite values pass through and do not enter the average.
 */
export function smooth(ys: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smooth: weight must be in [0, 1), got ${weight}`);
  if (weight === 0) return [...ys];
  let s = 0;
  let k = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    s = weight * s + (1 - weight) * y;
    k++;
    return s / (1 - Math.pow(weight, k));
  });
}

/** Index of the best finite value (max for accuracy, min for loss; first on ties); -1 if none. */
export function bestIndex(ys: readonly number[], higherIsBetter: boolean): number {
  let best = -1;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) continue;
    if (best < 0 || (higherIsBetter ? y > ys[best] : y < ys[best])) best = i;
  }
  return best;
}
