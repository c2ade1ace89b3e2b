import { eigen2x2, modulus, type Complex } from './eigen2x2';

export type Regime = 'monotone' | 'oscillating' | 'critically-damped' | 'undamped' | 'diverging';

/** Heavy-ball theory on f = lambda*x^2/2 (gradient descent is d = 0). */
export interface QuadraticTheory {
  lambda: number;
  lr: number;
  d: number;
  /** h = lr*lambda. */
  h: number;
  /** M acting on (v, x): [[d, -h], [d, 1 - h]]. */
  matrix: [[number, number], [number, number]];
  trace: number;
  det: number;
  /** trace^2 - 4*det: < 0 complex roots, 0 a double root. */
  discriminant: number;
  /** Larger modulus first. */
  eigenvalues: [Complex, Complex];
  /** Spectral radius max |mu|. */
  rho: number;
  regime: Regime;
  /** Critical damping at this h: d* = (1 - sqrt(h))^2. */
  criticalD: number;
  /** Stability edge in h at this d: 2*(1 + d). */
  hEdge: number;
  /** One or two sentences: why this regime. */
  explanation: string;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4)));

/**
 * Eigen-analysis of M = [[d, -h], [d, 1 - h]], h = lr*lambda: det M = d,
 * trace M = 1 + d - h. Converges iff d < 1 and 0 < h < 2(1 + d); complex
 * roots have modulus sqrt(d); critical damping at d = (1 - sqrt(h))^2.
 */
export function quadraticTheory(lr: number, d: number, lambda: number): QuadraticTheory {
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`d must be >= 0 (got ${d})`);
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be > 0 (got ${lambda})`);
  const h = lr * lambda;
  const trace = 1 + d - h;
  const det = d;
  const { disc, mu } = eigen2x2(trace, det);
  const rho = Math.max(modulus(mu[0]), modulus(mu[1]));
  const regime = classify(rho, disc, trace, mu[0]);
  const criticalD = (1 - Math.sqrt(h)) ** 2;
  const hEdge = 2 * (1 + d);
  return {
    lambda,
    lr,
    d,
    h,
    matrix: [
      [d, -h],
      [d, 1 - h],
    ],
    trace,
    det,
    discriminant: disc,
    eigenvalues: mu,
    rho,
    regime,
    criticalD,
    hEdge,
    explanation: explain(regime, rho, d, h, hEdge, criticalD),
  };
}

/** Tolerances for the boundary cases (rho = 1, double root). */
const RHO_TOL = 1e-12;
const DISC_TOL = 1e-10;

function classify(rho: number, disc: number, trace: number, dominant: Complex): Regime {
  const doubleRoot = Math.abs(disc) <= DISC_TOL * Math.max(1, trace * trace);
  if (rho > 1 + RHO_TOL) return 'diverging';
  // A repeated root on the unit circle (d = 1, lr*lambda = 4): x_t grows like t.
  if (rho >= 1 - RHO_TOL) return doubleRoot ? 'diverging' : 'undamped';
  if (doubleRoot) return 'critically-damped';
  if (disc < 0) return 'oscillating';
  return dominant.re < 0 ? 'oscillating' : 'monotone';
}

/** True when the two roots coincide (within the tolerance the regime uses). */
export function isDoubleRoot(th: Pick<QuadraticTheory, 'discriminant' | 'trace'>): boolean {
  return Math.abs(th.discriminant) <= DISC_TOL * Math.max(1, th.trace * th.trace);
}

/** Relative tolerance for "on the stability edge h = 2(1 + d)". */
const EDGE_TOL = 1e-12;

function explain(regime: Regime, rho: number, d: number, h: number, hEdge: number, dStar: number): string {
  if (d > 1) {
    return (
      `d = ${fmt(d)} > 1: det M = d = mu1*mu2, so rho = max|mu| >= sqrt(det M) = sqrt(d) = ${fmt(Math.sqrt(d))} > 1. ` +
      `The run diverges at every learning rate (rho = ${fmt(rho)}).`
    );
  }
  const onEdge = Math.abs(h - hEdge) <= EDGE_TOL * hEdge;
  if (regime === 'diverging' && rho <= 1 + RHO_TOL) {
    return (
      `d = ${fmt(d)}, lr*lambda = ${fmt(h)}: a repeated root at ${fmt(-Math.sqrt(d))} on the unit circle, so x_t - x* = (a + b*t)*(-1)^t ` +
      `grows like t (|x_t| = (2t + 1)|x_0| from rest): unstable, with polynomial growth (rho = 1).`
    );
  }
  if (d === 1) {
    return (
      `d = 1: det M = 1, so rho >= 1 at every learning rate; ` +
      (regime === 'undamped'
        ? 'the roots lie on the unit circle and the oscillation neither grows nor dies out.'
        : `here rho = ${fmt(rho)} > 1 and the run diverges.`)
    );
  }
  if (onEdge) {
    return `lr*lambda = 2(1 + d) = ${fmt(hEdge)}: the roots are -1 and -d = ${fmt(-d)}, so rho = 1: the part along -1 flips sign every step and neither grows nor dies out (the part along -d decays).`;
  }
  if (h > hEdge) {
    return `lr*lambda = ${fmt(h)} > 2(1 + d) = ${fmt(hEdge)}: an eigenvalue is < -1, so every step overshoots by more than the last (rho = ${fmt(rho)}).`;
  }
  switch (regime) {
    case 'monotone':
      return `rho = ${fmt(rho)} < 1 with real positive roots: x_t decays without oscillating (d < d* = ${fmt(dStar)}: overdamped).`;
    case 'critically-damped':
      return (
        `d = d* = (1 - sqrt(lr*lambda))^2 = ${fmt(dStar)}: a double root, the fastest asymptotic rate at this learning rate (rho = ${fmt(rho)}), ` +
        `with a transient that grows linearly before it decays: |x_t - x*| <= (|a| + |b|*t)*rho^t.`
      );
    case 'oscillating':
      return h > 1 && d < dStar
        ? `rho = ${fmt(rho)} < 1 with a negative dominant root: x_t flips sign each step while it decays (lr*lambda > 1).`
        : `rho = sqrt(d) = ${fmt(rho)} < 1 with complex roots: x_t oscillates inside the envelope C*rho^t, C set by the start (x_0, v_0) (d > d* = ${fmt(dStar)}: underdamped).`;
    case 'undamped':
      return `rho = 1: the oscillation neither grows nor dies out.`;
    case 'diverging':
      return `rho = ${fmt(rho)} > 1: the run diverges.`;
  }
}
