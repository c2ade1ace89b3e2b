/**
 * Measured per-step rate from step sizes s_t: (max of the last window /
 * max of the window ending at the middle)^(1/distance). Window maxima ride
 * over oscillation; for a linear system s_t ~ C*rho^t, so this estimates rho.
 * null when there are fewer than 4 steps.
 */
export function measuredRate(stepSize: Float64Array): number | null {
  const n = stepSize.length;
  if (n < 4) return null;
  const w = Math.max(1, Math.floor(n / 10));
  const mid = Math.floor(n / 2);
  let a = 0;
  for (let t = Math.max(0, mid - w); t < mid; t++) if (stepSize[t] > a) a = stepSize[t];
  let b = 0;
  for (let t = n - w; t < n; t++) if (stepSize[t] > b) b = stepSize[t];
  if (a === 0) return 0;
  return Math.pow(b / a, 1 / (n - mid));
}

/** Window maximum of the first tenth of the step sizes (the scale the run started at). */
export function earlyStepScale(stepSize: Float64Array): number {
  const w = Math.max(1, Math.floor(stepSize.length / 10));
  let a = 0;
  for (let t = 0; t < Math.min(w, stepSize.length); t++) if (stepSize[t] > a) a = stepSize[t];
  return a;
}
