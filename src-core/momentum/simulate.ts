import type { ObjectiveRef, SimOptimizer } from '../contracts/sim-config';
import { earlyStepScale, measuredRate } from './measure';
import { makeStepper } from './optimizers/make-stepper';
import { conditionedTheory, type ConditionedTheory } from './theory/conditioned';
import { eigenDirections } from './theory/eigen-directions';
import { envelope, envelopeForm } from './theory/envelope';
import { isDoubleRoot } from './theory/quadratic';
import { constantGradientTheory } from './theory/constant-gradient';
import type { Objective, SimRun, SimStatus } from './types';

/** A coordinate beyond this magnitude counts as diverged (doubles reach 1.8e308). */
export const DIVERGENCE_BOUND = 1e150;
/** Converged: last step <= STEP_TOL*(1 + |x|) and |grad| <= GRAD_TOL*(1 + |grad(x_0)|). */
export const STEP_TOL = 1e-8;
export const GRAD_TOL = 1e-6;
/** Not stopped, but growing: rate > 1 and the last steps are this many times the first ones. */
export const GROWTH_FACTOR = 1e3;
/** When the theory says the run is unstable (rho > 1, or a repeated root on the unit circle), growth by this factor confirms it. */
export const THEORY_GROWTH_FACTOR = 2;
/** The rate is measured only on steps above the round-off floor: step > ROUNDOFF_STEP * ||x|| (and > 1e-290). */
export const ROUNDOFF_STEP = 1024 * Number.EPSILON;
/** Least part of a 2-D start counted along each eigen-direction (rounding seeds every direction). */
const LEAK = 64 * Number.EPSILON;

const fmt = (v: number) => String(Number(v.toPrecision(4)));

/**
 * Run one optimizer from start for steps steps on objective: positions,
 * velocities, values, gradient signs, flips, step sizes, status and rate.
 * Stops at the first non-finite position, velocity, value or gradient, or
 * |coordinate| > DIVERGENCE_BOUND, and reports the step.
 */
export function simulateRun(objective: Objective, opt: SimOptimizer, start: readonly number[], steps: number): SimRun {
  const dim = objective.dim;
  if (start.length !== dim) throw new RangeError(`start needs ${dim} coordinates (got ${start.length})`);
  if (!start.every(Number.isFinite)) throw new RangeError('start must be finite');
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a whole number >= 1 (got ${steps})`);
  const stepper = makeStepper(opt, objective);
  const n = steps + 1;
  const xs = new Float64Array(n);
  const ys = dim > 1 ? new Float64Array(n) : null;
  const vxs = new Float64Array(n);
  const vys = dim > 1 ? new Float64Array(n) : null;
  const fs = new Float64Array(n);
  const signs = new Int8Array(n * dim);
  const gradNorm = new Float64Array(n);
  const stepSize = new Float64Array(n - 1);
  const pos = new Float64Array(2);
  const vel = new Float64Array(2);
  const g = new Float64Array(2);
  const lastSign = new Int8Array(2);
  const flips = [0, 0];
  const flipSteps: number[] = [];

  pos[0] = start[0];
  pos[1] = dim > 1 ? start[1] : 0;
  objective.grad(pos[0], pos[1], g);
  const g0 = Math.hypot(g[0], dim > 1 ? g[1] : 0);
  let stoppedAt: number | null = null;
  let reason = '';
  let t = 0;
  for (;;) {
    // record x_t (and the gradient there, already in g)
    xs[t] = pos[0];
    if (ys) ys[t] = pos[1];
    vxs[t] = vel[0];
    if (vys) vys[t] = vel[1];
    fs[t] = objective.value(pos[0], pos[1]);
    gradNorm[t] = dim > 1 ? Math.hypot(g[0], g[1]) : Math.abs(g[0]);
    let flipped = false;
    for (let k = 0; k < dim; k++) {
      const s = g[k] > 0 ? 1 : g[k] < 0 ? -1 : 0;
      signs[t * dim + k] = s;
      if (s !== 0) {
        if (lastSign[k] !== 0 && s !== lastSign[k]) {
          flips[k]++;
          flipped = true;
        }
        lastSign[k] = s;
      }
    }
    if (flipped) flipSteps.push(t);
    if (t === steps) break;
    stepper.step(pos, vel, g);
    const bad = badState(pos, vel, dim);
    if (bad) {
      stoppedAt = t + 1;
      reason = bad;
      break;
    }
    const fv = objective.value(pos[0], pos[1]);
    objective.grad(pos[0], pos[1], g);
    const badF = !Number.isFinite(fv)
      ? `f is ${fv}`
      : !Number.isFinite(g[0]) || (dim > 1 && !Number.isFinite(g[1]))
        ? 'the gradient is not finite'
        : '';
    if (badF) {
      stoppedAt = t + 1;
      reason = badF;
      break;
    }
    stepSize[t] = dim > 1 ? Math.hypot(vel[0], vel[1]) : Math.abs(vel[0]);
    t++;
  }
  const length = t + 1;
  const cut = <T extends Float64Array | Int8Array>(a: T, len: number): T =>
    len === a.length ? a : (a.slice(0, len) as T);
  const steps_ = cut(stepSize, length - 1);
  const rate = measuredRate(steps_.subarray(0, aboveRoundoff(steps_, xs, ys)));
  const gEnd = Math.hypot(g[0], dim > 1 ? g[1] : 0);
  const xEnd = Math.hypot(xs[length - 1], ys ? ys[length - 1] : 0);
  const useTheory = opt.kind === 'heavy-ball' || opt.kind === 'gd';
  const dEff = opt.kind === 'gd' ? 0 : opt.d;
  let theory: ConditionedTheory | null = null;
  if (useTheory && objective.curvatures) {
    const m = objective.minimizer ?? [0, 0];
    const e0 = dim > 1 ? Math.hypot(start[0] - m[0], start[1] - m[1]) : Math.abs(start[0] - m[0]);
    theory = withEnvelope(conditionedTheory(opt.lr, dEff, objective.curvatures, e0), objective, start, length);
  }
  const early = earlyStepScale(steps_);
  const last = steps_.length ? steps_[steps_.length - 1] : 0;
  const lateMax = lateStepScale(steps_);
  let status: SimStatus;
  let message: string;
  if (stoppedAt !== null) {
    status = 'diverged';
    message = `diverged at step ${stoppedAt}: ${reason}`;
  } else if (rate !== null && rate > 1 && last > GROWTH_FACTOR * Math.max(early, Number.MIN_VALUE)) {
    status = 'diverged';
    message = `diverging: the step size grows by x${fmt(rate)} per step (x${fmt(last / early)} over the run)`;
  } else if (
    theory &&
    theory.regime === 'diverging' &&
    rate !== null &&
    rate > 1 &&
    lateMax > THEORY_GROWTH_FACTOR * Math.max(early, Number.MIN_VALUE)
  ) {
    status = 'diverged';
    const why =
      theory.rho > 1
        ? `theory says rho = ${fmt(theory.rho)} > 1`
        : 'theory says a repeated root on the unit circle grows like t';
    message = `diverging: ${why}, and the step size grew x${fmt(lateMax / early)} over the run (measured rate ${fmt(rate)} per step)`;
  } else if (length > 1 && last <= STEP_TOL * (1 + xEnd) && gEnd <= GRAD_TOL * (1 + g0)) {
    status = 'converged';
    message = `converged: after ${steps} steps the step is ${last.toExponential(2)} and |grad| ${gEnd.toExponential(2)}`;
  } else {
    status = 'running';
    message = `still moving after ${steps} steps (last step ${steps_.length ? last.toExponential(2) : '0'})`;
  }
  const constant =
    useTheory && objective.constantGradient ? constantGradientTheory(opt.lr, dEff, objective.constantGradient) : null;
  return {
    optimizer: opt,
    dim,
    steps,
    length,
    x: cut(xs, length),
    y: ys ? cut(ys, length) : null,
    vx: cut(vxs, length),
    vy: vys ? cut(vys, length) : null,
    f: cut(fs, length),
    gradNorm: cut(gradNorm, length),
    gradSign: cut(signs, length * dim),
    flips: flips.slice(0, dim),
    flipSteps: Int32Array.from(flipSteps),
    stepSize: steps_,
    status,
    stoppedAt,
    message,
    rate,
    theory,
    constant,
  };
}

/** Number of leading step sizes above the round-off floor around the iterate (the rate is measured on these). */
export function aboveRoundoff(stepSize: Float64Array, xs: Float64Array, ys: Float64Array | null): number {
  for (let t = 0; t < stepSize.length; t++) {
    const norm = ys ? Math.hypot(xs[t + 1], ys[t + 1]) : Math.abs(xs[t + 1]);
    if (!(stepSize[t] > ROUNDOFF_STEP * norm && stepSize[t] > 1e-290)) return t;
  }
  return stepSize.length;
}

/** Window maximum of the last tenth of the step sizes. */
function lateStepScale(stepSize: Float64Array): number {
  const w = Math.max(1, Math.floor(stepSize.length / 10));
  let a = 0;
  for (let t = Math.max(0, stepSize.length - w); t < stepSize.length; t++) if (stepSize[t] > a) a = stepSize[t];
  return a;
}

/**
 * The theory with its exact envelope for this start: x_0 - x* (and v_0 = 0)
 * split along the Hessian's eigenvectors, one envelope per direction,
 * summed in quadrature (see theory/envelope.ts).
 */
function withEnvelope(
  theory: ConditionedTheory,
  objective: Objective,
  start: readonly number[],
  n: number,
): ConditionedTheory {
  const m = objective.minimizer ?? [0, 0];
  let comps: number[];
  if (objective.dim === 1) comps = [start[0] - m[0]];
  else {
    const dirs = eigenDirections(objective);
    if (!dirs) return theory;
    comps = dirs.map((dir) => dir.vector[0] * (start[0] - m[0]) + dir.vector[1] * (start[1] - m[1]));
    // Rounding puts about eps*||x_0 - x*|| into every direction, even one the
    // start has no part along; a faster direction grows that part, so each
    // direction starts at least at LEAK*||x_0 - x*||.
    const norm = Math.hypot(start[0] - m[0], start[1] - m[1]);
    comps = comps.map((c) => (Math.abs(c) >= LEAK * norm ? c : LEAK * norm));
  }
  const d = theory.directions[0].d;
  const parts = theory.directions.map((q, k) => ({ h: q.h, e0: comps[k] ?? 0, v0: 0 }));
  const mNorm = objective.dim === 1 ? Math.abs(m[0]) : Math.hypot(m[0], m[1]);
  return {
    ...theory,
    envelope: envelope(d, parts, mNorm, n),
    envelopeForms: theory.directions.map((q, k) => envelopeForm(q.h, d, parts[k].e0, 0, isDoubleRoot(q))),
  };
}

function badState(pos: Float64Array, vel: Float64Array, dim: number): string {
  for (let k = 0; k < dim; k++) {
    const name = dim > 1 ? (k === 0 ? 'x' : 'y') : 'x';
    if (!Number.isFinite(pos[k])) return `${name} is ${pos[k]}`;
    if (!Number.isFinite(vel[k])) return `the velocity is ${vel[k]}`;
    if (Math.abs(pos[k]) > DIVERGENCE_BOUND) return `|${name}| exceeded ${DIVERGENCE_BOUND.toExponential(0)}`;
  }
  return '';
}

export interface SimulateResult {
  objective: ObjectiveRef;
  start: number[];
  steps: number;
  runs: SimRun[];
  /** Wall milliseconds the simulator worker spent (set by the worker; the pure core has no clock). */
  computeMs?: number;
}
