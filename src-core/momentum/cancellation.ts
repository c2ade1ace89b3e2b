import { fmtPct } from '../format';
// Sign flips cancel. Heavy-ball's velocity from rest is a weighted sum of past
// gradients, v_t = -lr * sum_{k<t} d^k g_{t-1-k}. If every gradient had the
// same sign and size |g| it would be lr*|g|*(1 - d^t)/(1 - d) -> lr*|g|/(1 - d);
// if the signs alternated, lr*|g|*|1 - (-d)^t|/(1 + d) -> lr*|g|/(1 + d).
// With the run's own gradient sizes (|g| replaced by their d^k-weighted mean
// G_t) these two references are
//   same_t = lr * sum_{k<t} d^k |g_{t-1-k}|   (also an upper bound on |v_t|),
//   alt_t  = lr * G_t * |1 - (-d)^t|/(1 + d),  G_t = sum d^k |g| / sum d^k,
// and the measured |v_t| sits between them (or below alt_t when the signs
// turn more often than every step can cancel).

export interface Cancellation {
  /** |v_t| measured (the norm in 2-D). */
  speed: Float64Array;
  /** Same-sign reference (-> lr*|g|/(1 - d)); an upper bound on speed. */
  same: Float64Array;
  /** Alternating reference (-> lr*|g|/(1 + d)). */
  alt: Float64Array;
  /** Over the second half of the run: sum |v_t| / sum same_t (1 = nothing cancelled). */
  ratio: number | null;
  /** The same for the alternating reference: sum alt_t / sum same_t. */
  altRatio: number | null;
  /** Share of the second half's steps whose gradient sign flipped (any coordinate). */
  flipShare: number;
  /** One sentence, true for this run. */
  sentence: string;
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));

/** The velocity against the two references, and a sentence about where it sits. */
export function cancellation(run: {
  length: number;
  dim: 1 | 2;
  vx: Float64Array;
  vy: Float64Array | null;
  gradNorm: Float64Array;
  gradSign: Int8Array;
  optimizer: { kind: string; lr: number; d: number };
}): Cancellation {
  const n = run.length;
  const { lr } = run.optimizer;
  const d = run.optimizer.kind === 'gd' ? 0 : run.optimizer.d;
  const speed = new Float64Array(n);
  const same = new Float64Array(n);
  const alt = new Float64Array(n);
  let S = 0; // sum d^k |g|
  let W = 0; // sum d^k
  let P = 1; // (-d)^t
  for (let t = 1; t < n; t++) {
    S = d * S + run.gradNorm[t - 1];
    W = d * W + 1;
    P *= -d;
    speed[t] = run.vy ? Math.hypot(run.vx[t], run.vy[t]) : Math.abs(run.vx[t]);
    same[t] = lr * S;
    alt[t] = W > 0 ? (lr * (S / W) * Math.abs(1 - P)) / (1 + d) : 0;
  }
  const from = Math.max(1, Math.floor(n / 2));
  let sv = 0;
  let ss = 0;
  let sa = 0;
  let flips = 0;
  let counted = 0;
  const last = [0, 0];
  for (let t = 0; t < n; t++) {
    let flipped = false;
    for (let k = 0; k < run.dim; k++) {
      const sg = run.gradSign[t * run.dim + k];
      if (sg !== 0) {
        if (last[k] !== 0 && sg !== last[k]) flipped = true;
        last[k] = sg;
      }
    }
    if (t >= from) {
      sv += speed[t];
      ss += same[t];
      sa += alt[t];
      counted++;
      if (flipped) flips++;
    }
  }
  const ok = ss > 0 && Number.isFinite(ss) && Number.isFinite(sv);
  const ratio = ok ? sv / ss : null;
  const altRatio = ok ? sa / ss : null;
  const flipShare = counted ? flips / counted : 0;
  const pct = fmtPct(flipShare, 0);
  let sentence: string;
  if (n < 3) sentence = 'Too short to compare.';
  else if (!ok)
    sentence =
      ss === 0
        ? 'No gradient in the second half: nothing to cancel.'
        : 'The velocity left the floating-point range: no comparison.';
  else if (d === 0)
    sentence = `d = 0 keeps no memory: |v_t| = lr·|g_(t−1)|, so there is nothing to cancel (${pct} of the second half's steps flipped the sign).`;
  else {
    const closerToAlt = ratio! <= Math.sqrt(altRatio!);
    sentence =
      `Second half: |v_t| averages ${fmt(ratio!)}× the same-sign value lr·Σdᵏ|g|; alternating signs would give ${fmt(altRatio!)}×. ` +
      `${pct} of these steps flipped the gradient's sign: ` +
      (closerToAlt
        ? 'closer to the alternating value, so the flips cancel most of the momentum.'
        : 'closer to the same-sign value, so the pushes add up.');
  }
  return { speed, same, alt, ratio, altRatio, flipShare, sentence };
}
