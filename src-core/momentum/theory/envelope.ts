import { eigen2x2 } from './eigen2x2';

// The exact envelope of heavy-ball on one curvature direction.
//
// Along a Hessian eigen-direction with curvature lambda (h = lr*lambda) the
// error e_t = x_t - x* obeys e_{t+1} = (1 + d - h) e_t - d e_{t-1}, with
// e_1 = (1 - h) e_0 + d v_0. With roots mu1, mu2 of mu^2 - (1+d-h) mu + d:
//   complex roots:  e_t = 2 Re(a mu^t), a = (e_1 - conj(mu) e_0)/(mu - conj(mu)),
//                   so |e_t| <= 2|a| rho^t, and the peaks touch it;
//   real roots:     e_t = a mu1^t + b mu2^t, |e_t| <= |a||mu1|^t + |b||mu2|^t;
//   any roots:      e_t = e_0 W_t + (e_1 - m e_0) U_t with m = (mu1 + mu2)/2,
//                   W_t = (mu1^t + mu2^t)/2, U_t = (mu1^t - mu2^t)/(mu1 - mu2),
//                   |W_t| <= rho^t, |U_t| <= t rho^(t-1), so
//                   |e_t| <= |e_0| rho^t + |e_1 - m e_0| t rho^(t-1),
//                   which at a double root is exactly (|a| + |b| t) rho^t.
// The envelope is the smaller of the modal bound and this one (both hold;
// the second is the tight one at and near a double root).

/** Relative slack for the rounding of the simulated trajectory (the peaks of complex roots touch the envelope). */
export const ENVELOPE_SLACK = 1e-9;
/** Rounding of one step relative to the previous step's size (see directionEnvelope's rounding). */
export const ROUNDING_STEP = 16 * Number.EPSILON;
/** Absolute floor: the trajectory cannot resolve a distance below this (subnormal numbers). */
export const ENVELOPE_TINY = 1e-300;
/** Round-off of an iterate around x*: each step's rounding is within ROUNDOFF_FLOOR * ||x*||. */
export const ROUNDOFF_FLOOR = 64 * Number.EPSILON;

/**
 * Upper bound on |e_t| for t = 0 .. n-1 along one direction with h = lr*lambda,
 * momentum d, from error e0 and velocity v0 (exact in form: C rho^t for
 * complex roots, (|a| + |b| t) rho^t for a double root). With rounding,
 * env_t is raised by the first-order sum of the steps' relative rounding
 * errors, k*sum_(s<=t) env_(s-1)/env_s, k = ROUNDING_STEP*(1 + h + d)
 * (about t*1e-14 on ordinary runs); no slack or floor.
 */
export function directionEnvelope(
  h: number,
  d: number,
  e0: number,
  v0: number,
  n: number,
  rounding = false,
): Float64Array {
  if (!(Number.isFinite(h) && Number.isFinite(d) && Number.isFinite(e0) && Number.isFinite(v0)))
    throw new RangeError('directionEnvelope: arguments must be finite');
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`directionEnvelope: n must be a whole number (got ${n})`);
  const out = new Float64Array(n);
  if (n === 0) return out;
  const trace = 1 + d - h;
  const e1 = (1 - h) * e0 + d * v0;
  const { mu } = eigen2x2(trace, d);
  const [p, q] = mu;
  const rho = Math.max(Math.hypot(p.re, p.im), Math.hypot(q.re, q.im));
  const m = trace / 2;
  const A = Math.abs(e0);
  const B = Math.abs(e1 - m * e0);
  // modal bound, when the roots are distinct
  let modal: ((t: number) => number) | null = null;
  if (p.im !== 0) {
    // a = (e1 - conj(mu) e0)/(2 i Im mu): |a| = |e1 - conj(mu) e0|/(2|Im mu|)
    const C = Math.hypot(e1 - p.re * e0, p.im * e0) / Math.abs(p.im);
    if (Number.isFinite(C)) modal = (t) => C * rho ** t;
  } else if (p.re !== q.re) {
    const a = (e1 - q.re * e0) / (p.re - q.re);
    const b = (p.re * e0 - e1) / (p.re - q.re);
    const r1 = Math.abs(p.re);
    const r2 = Math.abs(q.re);
    if (Number.isFinite(a) && Number.isFinite(b)) modal = (t) => Math.abs(a) * r1 ** t + Math.abs(b) * r2 ** t;
  }
  out[0] = A;
  for (let t = 1; t < n; t++) {
    // rho = 0 only at h = 1, d = 0: e_1 = 0 and every later e_t = 0
    const general = A * rho ** t + B * t * (rho === 0 ? (t === 1 ? 1 : 0) : rho ** (t - 1));
    const mod = modal ? modal(t) : Infinity;
    out[t] = mod < general ? mod : general;
  }
  if (rounding) {
    // Step s rounds d*v - h*x and x + v to within a few eps of the previous
    // magnitudes, a relative error of about k*env_(s-1)/env_s in e_s (large
    // under cancellation, e.g. h near 1 with d near 0); to first order these
    // relative errors compound along the run: prod (1 + delta_s) <= exp(sum delta_s).
    const k = ROUNDING_STEP * (1 + Math.abs(h) + Math.abs(d));
    let prev = out[0];
    let acc = 0;
    for (let t = 1; t < n; t++) {
      const cur = out[t];
      if (cur > 0) acc += k * Math.min(prev / cur, 1e200);
      prev = cur;
      // prod (1 + delta_s) <= exp(sum delta_s)
      out[t] = Math.min(cur * (acc < 1e-3 ? 1 + acc : Math.exp(Math.min(acc, 700))), Number.MAX_VALUE);
    }
  }
  return out;
}

/** The envelope's closed form along one direction, for the sentence beside the chart. */
export type EnvelopeForm =
  | { kind: 'complex'; C: number; rho: number }
  | { kind: 'double'; a: number; b: number; rho: number }
  | { kind: 'real'; a: number; r1: number; b: number; r2: number };

/** |e_t| <= C rho^t (complex), (|a| + |b| t) rho^t (double root), |a| r1^t + |b| r2^t (real): the constants from (e0, v0). */
export function envelopeForm(h: number, d: number, e0: number, v0: number, doubleRoot: boolean): EnvelopeForm {
  const trace = 1 + d - h;
  const e1 = (1 - h) * e0 + d * v0;
  const { mu } = eigen2x2(trace, d);
  const [p, q] = mu;
  if (doubleRoot || (p.im === 0 && p.re === q.re)) {
    const m = trace / 2;
    const rho = Math.abs(m);
    return { kind: 'double', a: Math.abs(e0), b: rho === 0 ? 0 : Math.abs(e1 - m * e0) / rho, rho };
  }
  if (p.im !== 0)
    return { kind: 'complex', C: Math.hypot(e1 - p.re * e0, p.im * e0) / Math.abs(p.im), rho: Math.hypot(p.re, p.im) };
  const a = (e1 - q.re * e0) / (p.re - q.re);
  const b = (p.re * e0 - e1) / (p.re - q.re);
  return { kind: 'real', a: Math.abs(a), r1: Math.abs(p.re), b: Math.abs(b), r2: Math.abs(q.re) };
}

export interface EnvelopeDirection {
  /** h = lr*lambda along this direction. */
  h: number;
  /** Component of x_0 - x* along the direction's unit vector. */
  e0: number;
  /** Component of v_0 along it. */
  v0: number;
}

/**
 * Envelope of ||x_t - x*|| for t = 0 .. n-1: the directions' envelopes summed
 * in quadrature (||e||^2 = sum of squared components along orthonormal
 * eigenvectors, each bounded by its envelope, with rounding), times
 * (1 + ENVELOPE_SLACK), plus the round-off floor around x*: every step rounds
 * x + v to within eps*||x*|| of x*, and those errors pass through M^k, whose
 * size sums to at most about 1/(1 - rho)^2 (k rho^k at a double root), so
 * ROUNDOFF_FLOOR*||x*||*min((t + 1)^2, 1/(1 - rho)^2) + ENVELOPE_TINY.
 */
export function envelope(
  d: number,
  directions: readonly EnvelopeDirection[],
  minimizerNorm: number,
  n: number,
): Float64Array {
  const parts = directions.map((dir) => directionEnvelope(dir.h, d, dir.e0, dir.v0, n, true));
  let rho = 0;
  for (const dir of directions) {
    const { mu } = eigen2x2(1 + d - dir.h, d);
    rho = Math.max(rho, Math.hypot(mu[0].re, mu[0].im), Math.hypot(mu[1].re, mu[1].im));
  }
  const gain = rho < 1 ? 1 / (1 - rho) ** 2 : Infinity;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const v = (parts.length === 1 ? parts[0][t] : Math.hypot(...parts.map((p) => p[t]))) * (1 + ENVELOPE_SLACK);
    const floor = ROUNDOFF_FLOOR * minimizerNorm * Math.min((t + 1) ** 2, gain) + ENVELOPE_TINY;
    out[t] = Math.min(v + floor, Number.MAX_VALUE);
  }
  return out;
}
