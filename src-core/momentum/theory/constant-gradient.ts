/** Heavy-ball under a constant gradient g, from v_0 = 0. */
export interface ConstantGradientTheory {
  g: number[];
  lr: number;
  d: number;
  /** -lr*g/(1 - d) per coordinate when d < 1, else null (no limit). */
  terminalVelocity: number[] | null;
  /** lr/(1 - d) when d < 1, else null. */
  effectiveStep: number | null;
  growth: 'bounded' | 'linear' | 'geometric';
  explanation: string;
}

/** v_t = -lr*g*(1 - d^t)/(1 - d) (d != 1), v_t = -lr*g*t (d = 1): the geometric series of past gradients. */
export function constantGradientVelocity(lr: number, d: number, g: number, t: number): number {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0)) throw new RangeError(`d must be >= 0 (got ${d})`);
  if (!(t >= 0)) throw new RangeError(`t must be >= 0 (got ${t})`);
  if (d === 1) return -lr * g * t;
  return (-lr * g * (1 - d ** t)) / (1 - d);
}

/** Terminal velocity -lr*g/(1 - d) and effective step lr/(1 - d) for d < 1; unbounded growth otherwise. */
export function constantGradientTheory(lr: number, d: number, g: readonly number[]): ConstantGradientTheory {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0)) throw new RangeError(`d must be >= 0 (got ${d})`);
  if (d < 1) {
    const eff = lr / (1 - d);
    return {
      g: [...g],
      lr,
      d,
      terminalVelocity: g.map((gk) => -eff * gk),
      effectiveStep: eff,
      growth: 'bounded',
      explanation: `d = ${d} < 1: the velocity sums the geometric series -lr*g*(1 + d + d^2 + ... + d^(t-1)) = -lr*g*(1 - d^t)/(1 - d) and tends to -lr*g/(1 - d); in the limit each step is ${Number((1 / (1 - d)).toPrecision(4))}x a plain gradient step.`,
    };
  }
  return {
    g: [...g],
    lr,
    d,
    terminalVelocity: null,
    effectiveStep: null,
    growth: d === 1 ? 'linear' : 'geometric',
    explanation:
      d === 1
        ? 'd = 1: nothing is forgotten, v_t = -lr*g*t grows without bound.'
        : `d = ${d} > 1: v_t = -lr*g*(d^t - 1)/(d - 1) grows geometrically without bound.`,
  };
}

/**
 * The measured factor |v_T|/(lr*|g|) of a run on a constant gradient: how many
 * plain gradient steps its last step is. (1 - d^T)/(1 - d) in exact arithmetic;
 * null when the run has no constant gradient or no step.
 */
export function measuredStepFactor(run: {
  length: number;
  vx: Float64Array;
  vy: Float64Array | null;
  constant: ConstantGradientTheory | null;
}): number | null {
  const c = run.constant;
  if (!c || run.length < 2) return null;
  const t = run.length - 1;
  const v = run.vy ? Math.hypot(run.vx[t], run.vy[t]) : Math.abs(run.vx[t]);
  const g = Math.hypot(...c.g);
  return g > 0 ? v / (c.lr * g) : null;
}
