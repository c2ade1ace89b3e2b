// The grid the Momentum view's phase diagram is computed on, over (h = lr·λ, d): one rule for the view and for
// `momentum-lab figure --phase`, so both draw the same map. Without a training run's path, h runs from 0.02 to 5.2
// on a linear axis (the stability edge h = 2(1 + d) of d in [0, 1.6] lies inside). With a path, whose h = lr·λ_max
// are often far below 1, h runs on a log axis from a power of ten at or below half the smallest point to twice the
// largest (at least 8, so the edge stays in view), kept within [1e-4, 1000].

export interface PhaseGrid {
  hMin: number;
  hMax: number;
  hScale?: 'log';
  dMin: number;
  dMax: number;
  nh: number;
  nd: number;
  steps: number;
}

/** The map's grid for a path's h values (none, or `log` false: the linear grid). */
export function phaseMapGrid(pathHs: readonly number[], log = true): PhaseGrid {
  const base = { dMin: 0, dMax: 1.6, nh: 208, nd: 160, steps: 500 };
  const hs = pathHs.filter((h) => h > 0 && Number.isFinite(h));
  if (!log || hs.length === 0) return { ...base, hMin: 0.02, hMax: 5.2 };
  const lo = Math.max(1e-4, Math.pow(10, Math.floor(Math.log10(Math.min(...hs) / 2))));
  const hi = Math.min(1000, Math.max(8, 2 * Math.max(...hs)));
  return { ...base, hMin: lo, hMax: hi, hScale: 'log' };
}
