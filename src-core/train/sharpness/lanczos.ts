import { rngFor } from '../../rng';

// The extreme eigenvalues of a symmetric operator from matrix-vector products
// alone: the Lanczos iteration (Lanczos 1950), with full reorthogonalisation
// (every new vector is made orthogonal to all earlier ones, a second time when
// the first pass removed most of it, so float64
// round-off cannot bring back converged directions). After k products the
// basis Q_k spans the Krylov space {q0, Hq0, ..., H^(k-1) q0} and
// T_k = Q_kᵀ H Q_k is tridiagonal (α on the diagonal, β beside it); its
// eigenvalues (Ritz values) approach H's extreme eigenvalues from inside:
// θ_max(T_k) <= λ_max grows with k, θ_min(T_k) >= λ_min falls. Both ends come
// from the same products.
//
// Stopping: when the largest Ritz value changed by less than `tolerance`
// relative to its value (|θ_k − θ_(k−1)| <= tol·|θ_k|) at two consecutive
// products (so at least 3 products), or after `maxProducts` products. With
// ends: 'both' the smallest Ritz value must also have settled (relative to
// itself) while it is negative; otherwise it is only an upper bound on λ_min
// (Ritz values lie inside the spectrum).
//
// Warm start: the previous estimate's eigenvector PLUS an equal-norm random
// vector (normalised), so the start leans towards the old top direction but
// still holds every other one. Measured on W's network (784-64-10, 1,000
// images): the eigenvector of the weights at iteration 0, used alone at
// iteration 200, lay mostly along the new SECOND eigenvector; the Ritz value
// settled there (5.03 against λ_max = 5.42) and a one-step change test
// stopped. With the random half and the two-step test the estimate is 5.416.
//
// If the Krylov space closes (β = 0: an invariant subspace, e.g. a start that
// is exactly an eigenvector) the iteration continues from a random vector
// orthogonal to the basis, so it can still find a larger eigenvalue.
// Ritz values: Sturm-sequence bisection on T_k; the Ritz vector of θ_max:
// inverse iteration on T_k (dense elimination with partial pivoting).

export interface LanczosOptions {
  /** Relative change of the largest Ritz value that stops the iteration (default 1e-3). */
  tolerance?: number;
  /** Most products (default 20). */
  maxProducts?: number;
  /**
   * Warm start: the previous eigenvector (any scale; a zero or non-finite vector falls back to the cold start), mixed
   * with a random vector (warmMix).
   */
  start?: Float64Array | null;
  /** Seed of the cold start's random vector (and of restarts); default 1. */
  seed?: number;
  /**
   * Which ends the relative-change test watches: 'max' (default: the sharpness; the smallest Ritz value is then
   * whatever it is at that point, an upper bound on λ_min) or 'both' (also the smallest Ritz value, relative to
   * itself, while it is negative).
   */
  ends?: 'max' | 'both';
  /**
   * Norm of the random vector added to a (unit) warm start before normalising (default WARM_MIX = 1: equal parts);
   * 0 starts from the previous eigenvector alone.
   */
  warmMix?: number;
}

export interface LanczosResult {
  /** Largest Ritz value: the estimate of λ_max (a lower bound up to round-off). */
  lambdaMax: number;
  /** Smallest Ritz value (an upper bound on λ_min). */
  smallestRitz: number;
  /** smallestRitz when it is negative, else null (the Hessian showed no negative curvature). */
  lambdaMin: number | null;
  /** Unit Ritz vector of lambdaMax (pass it as the next estimate's start). */
  vector: Float64Array;
  /** Products used. */
  products: number;
  /** True if the relative-change test stopped it (or the Krylov space filled the whole space), false if maxProducts did. */
  converged: boolean;
  /** |θ_k − θ_(k−1)| / |θ_k| at the last step (NaN after a single product). */
  relativeChange: number;
  /** Lanczos residual bound ‖H y − θ y‖ = β_k |s_k| of the Ritz pair (y, θ): some eigenvalue lies within it of θ. */
  residual: number;
  /** True if the given start was used. */
  warm: boolean;
}

export const DEFAULT_TOLERANCE = 1e-3;
/** The change test must pass at this many consecutive products. */
export const CALM_STEPS = 2;
/** A warm start is the previous eigenvector plus a random vector of this norm (then normalised). */
export const WARM_MIX = 1;
export const DEFAULT_MAX_PRODUCTS = 20;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/**
 * Makes w orthogonal to every vector of basis: a pass of Gram–Schmidt, and a second one only when the first removed
 * most of w (its norm fell below 1/√2 of what it was: Kahan and Parlett's "twice is enough" test), where one pass
 * leaves round-off along the basis. Full reorthogonalisation costs two products' worth of vector work at 20 vectors,
 * so the second pass is worth skipping when it would change nothing.
 */
function reorthogonalise(w: Float64Array, basis: Float64Array[]): void {
  let before = dot(w, w);
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) axpy(w, -dot(q, w), q);
    const after = dot(w, w);
    if (after > 0.5 * before) return;
    before = after;
  }
}

/** x / s, elementwise, into a new array. */
function scaled(x: Float64Array, s: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / s;
  return out;
}

/** Number of eigenvalues of the symmetric tridiagonal (alpha, beta) below x (Sturm count via the LDLᵀ pivots). */
function countBelow(alpha: number[], beta: number[], x: number, tiny: number): number {
  let count = 0;
  let d = 1;
  for (let i = 0; i < alpha.length; i++) {
    const b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
    d = alpha[i] - x - (i > 0 ? b2 / d : 0);
    if (d === 0) d = -tiny;
    if (d < 0) count++;
  }
  return count;
}

/** The k-th smallest eigenvalue (0-based) of the symmetric tridiagonal (alpha, beta), by bisection to round-off. */
export function tridiagonalEigenvalue(alpha: number[], beta: number[], k: number): number {
  const m = alpha.length;
  if (m < 1 || beta.length < m - 1 || !(k >= 0 && k < m)) throw new RangeError('tridiagonalEigenvalue: bad sizes');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < m - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - r);
    hi = Math.max(hi, alpha[i] + r);
  }
  const scale = Math.max(Math.abs(lo), Math.abs(hi), Number.MIN_VALUE);
  const tiny = scale * 1e-300 || Number.MIN_VALUE;
  lo -= scale * 1e-12;
  hi += scale * 1e-12;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (countBelow(alpha, beta, mid, tiny) > k) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/** A unit eigenvector of the symmetric tridiagonal (alpha, beta) for its eigenvalue theta: inverse iteration. */
function tridiagonalEigenvector(alpha: number[], beta: number[], theta: number): Float64Array {
  const m = alpha.length;
  const scale = Math.max(...alpha.map(Math.abs), ...beta.slice(0, m - 1).map(Math.abs), 1e-300);
  const shift = theta + scale * 1e-13;
  // Dense copy of T − shift·I; elimination with partial pivoting, reused for each solve.
  const A = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m);
    row[i] = alpha[i] - shift;
    if (i > 0) row[i - 1] = beta[i - 1];
    if (i < m - 1) row[i + 1] = beta[i];
    return row;
  });
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    if (p !== c) {
      [A[p], A[c]] = [A[c], A[p]];
      [perm[p], perm[c]] = [perm[c], perm[p]];
    }
    if (A[c][c] === 0) A[c][c] = scale * 1e-300 || Number.MIN_VALUE;
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      A[r][c] = f;
      for (let j = c + 1; j < m; j++) A[r][j] -= f * A[c][j];
    }
  }
  let x = new Float64Array(m).fill(1 / Math.sqrt(m));
  for (let it = 0; it < 4; it++) {
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) y[i] = x[perm[i]];
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) y[i] -= A[i][j] * y[j];
    for (let i = m - 1; i >= 0; i--) {
      for (let j = i + 1; j < m; j++) y[i] -= A[i][j] * y[j];
      y[i] /= A[i][i];
    }
    const norm = Math.hypot(...y);
    if (!(norm > 0) || !Number.isFinite(norm)) break;
    for (let i = 0; i < m; i++) y[i] /= norm;
    x = y;
  }
  return x;
}

function randomUnit(dim: number, seed: number, salt: number): Float64Array {
  const rng = rngFor(seed, `sharpness-lanczos-${salt}`);
  const v = Float64Array.from({ length: dim }, () => 2 * rng.nextFloat() - 1);
  const n = Math.sqrt(dot(v, v));
  for (let i = 0; i < dim; i++) v[i] /= n;
  return v;
}

/**
 * Largest and smallest Ritz values of the symmetric operator apply (out = H v, vectors of length dim) by Lanczos with
 * full reorthogonalisation, warm-started from options.start when given.
 */
export function lanczos(
  apply: (v: Float64Array, out: Float64Array) => void,
  dim: number,
  options: LanczosOptions = {},
): LanczosResult {
  const tol = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxProducts = options.maxProducts ?? DEFAULT_MAX_PRODUCTS;
  const seed = options.seed ?? 1;
  const both = (options.ends ?? 'max') === 'both';
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`lanczos: dim must be a positive integer, got ${dim}`);
  if (!(tol >= 0) || !Number.isFinite(tol))
    throw new RangeError(`lanczos: tolerance must be a finite number >= 0, got ${tol}`);
  if (!Number.isInteger(maxProducts) || maxProducts < 1)
    throw new RangeError(`lanczos: maxProducts must be a positive integer, got ${maxProducts}`);
  let q: Float64Array | null = null;
  let warm = false;
  if (options.start) {
    if (options.start.length !== dim)
      throw new RangeError(`lanczos: the start vector holds ${options.start.length} values, the operator ${dim}`);
    const n = Math.sqrt(dot(options.start, options.start));
    if (n > 0 && Number.isFinite(n)) {
      q = scaled(options.start, n);
      warm = true;
      const mix = options.warmMix ?? WARM_MIX;
      if (!(mix >= 0) || !Number.isFinite(mix))
        throw new RangeError(`lanczos: warmMix must be a finite number >= 0, got ${mix}`);
      if (mix > 0) {
        const r = randomUnit(dim, seed, 1000);
        for (let i = 0; i < dim; i++) q[i] += mix * r[i];
        const m2 = Math.sqrt(dot(q, q));
        if (m2 > 0) for (let i = 0; i < dim; i++) q[i] /= m2;
        else q = r;
      }
    }
  }
  if (!q) q = randomUnit(dim, seed, 0);

  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let thetaMax = NaN;
  let thetaMin = NaN;
  let change = NaN;
  let converged = false;
  let restarts = 0;
  /** Vectors since the last (re)start: the change test needs two in the same Krylov block. */
  let blockLen = 0;
  let calm = 0;
  const w = new Float64Array(dim);
  for (;;) {
    basis.push(q);
    blockLen++;
    apply(q, w);
    const k = basis.length - 1;
    const a = dot(q, w);
    alpha.push(a);
    axpy(w, -a, q);
    if (k > 0) axpy(w, -beta[k - 1], basis[k - 1]);
    reorthogonalise(w, basis);
    const b = Math.sqrt(dot(w, w));
    if (!Number.isFinite(a) || !Number.isFinite(b))
      throw new RangeError('lanczos: the operator returned a non-finite value');
    const prev = thetaMax;
    const prevMin = thetaMin;
    thetaMax = tridiagonalEigenvalue(alpha, beta, alpha.length - 1);
    thetaMin = tridiagonalEigenvalue(alpha, beta, 0);
    if (k > 0) change = Math.abs(thetaMax - prev) / Math.max(Math.abs(thetaMax), Number.MIN_VALUE);
    if (blockLen >= 2) {
      // 'both' watches the smallest Ritz value only while it is negative (a relative change of a value near 0 is noise).
      const minChange = both && thetaMin < 0 ? Math.abs(thetaMin - prevMin) / Math.abs(thetaMin) : 0;
      if (change <= tol && minChange <= tol) calm++;
      else calm = 0;
      if (calm >= CALM_STEPS) {
        converged = true;
        beta.push(b);
        break;
      }
    }
    if (basis.length === dim) {
      converged = true; // the Krylov space is the whole space: the Ritz values are the eigenvalues
      beta.push(0);
      break;
    }
    if (basis.length >= maxProducts) {
      beta.push(b);
      break;
    }
    const scale = Math.max(Math.abs(thetaMax), Math.abs(thetaMin), Number.MIN_VALUE);
    if (b > 1e-10 * scale) {
      beta.push(b);
      q = scaled(w, b);
    } else {
      // Invariant subspace: carry on from a random direction orthogonal to the basis (T splits into blocks, β = 0).
      beta.push(0);
      const r = randomUnit(dim, seed, ++restarts);
      reorthogonalise(r, basis);
      const n = Math.sqrt(dot(r, r));
      if (!(n > 1e-8)) {
        converged = true;
        break;
      }
      q = scaled(r, n);
      blockLen = 0;
      calm = 0;
    }
  }
  const m = alpha.length;
  const s = tridiagonalEigenvector(alpha, beta.slice(0, m - 1), thetaMax);
  const vector = new Float64Array(dim);
  for (let i = 0; i < m; i++) axpy(vector, s[i], basis[i]);
  const norm = Math.sqrt(dot(vector, vector));
  for (let i = 0; i < dim; i++) vector[i] /= norm;
  return {
    lambdaMax: thetaMax,
    smallestRitz: thetaMin,
    lambdaMin: thetaMin < 0 ? thetaMin : null,
    vector,
    products: m,
    converged,
    relativeChange: change,
    residual: Math.abs(beta[m - 1] * s[m - 1]),
    warm,
  };
}
