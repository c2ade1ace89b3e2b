import type { ObjectiveName, SimOptimizer } from '../contracts/sim-config';
import type { ConstantGradientTheory } from './theory/constant-gradient';
import type { ConditionedTheory } from './theory/conditioned';

/** A differentiable objective in one or two coordinates (y is ignored in 1-D). */
export interface Objective {
  name: ObjectiveName;
  dim: 1 | 2;
  value(x: number, y: number): number;
  /** Writes df/dx to out[0] and, in 2-D, df/dy to out[1]. */
  grad(x: number, y: number, out: Float64Array): void;
  /** Writes the Hessian: f'' to out[0] in 1-D; f_xx, f_xy, f_yy to out[0..2] in 2-D. */
  hessian(x: number, y: number, out: Float64Array): void;
  /** The global minimizer when it is known in closed form, else null. */
  minimizer: number[] | null;
  /** Hessian eigenvalues (ascending) when the Hessian is constant, else null. */
  curvatures: number[] | null;
  /** The gradient when it is the same everywhere (linear objective), else null. */
  constantGradient: number[] | null;
}

export type SimStatus = 'converged' | 'diverged' | 'running';

/** One simulated run: positions at t = 0 .. length-1 and what was measured on them. */
export interface SimRun {
  optimizer: SimOptimizer;
  dim: 1 | 2;
  /** Steps asked for. */
  steps: number;
  /** Valid points: x_0 .. x_{length-1}; length = steps + 1 unless the run was stopped. */
  length: number;
  x: Float64Array;
  /** null in 1-D. */
  y: Float64Array | null;
  /** Velocity at each point: v_t = x_t - x_{t-1}, v_0 = 0. */
  vx: Float64Array;
  vy: Float64Array | null;
  /** f(x_t). */
  f: Float64Array;
  /** |grad f(x_t)| (the Euclidean norm in 2-D). */
  gradNorm: Float64Array;
  /** Sign (-1, 0, 1) of each gradient coordinate at each point, interleaved: [t*dim + k]. */
  gradSign: Int8Array;
  /** Sign flips per coordinate (a zero gradient neither flips nor resets). */
  flips: number[];
  /** Steps t (1-based: the sign at x_t differs from the previous non-zero sign) where any coordinate flipped. */
  flipSteps: Int32Array;
  /** |x_{t+1} - x_t| for t = 0 .. length-2. */
  stepSize: Float64Array;
  status: SimStatus;
  /** The step whose state became non-finite or exceeded the bound; null if the run was not stopped. */
  stoppedAt: number | null;
  /** One sentence: why the status is what it is. */
  message: string;
  /** Measured per-step contraction of the step size in the second half of the run; null when too short. */
  rate: number | null;
  /** Heavy-ball / gradient-descent theory when the objective has a constant Hessian. */
  theory: ConditionedTheory | null;
  /** Heavy-ball theory on a constant gradient (linear objective). */
  constant: ConstantGradientTheory | null;
}

export type { ConstantGradientTheory, ConditionedTheory };
