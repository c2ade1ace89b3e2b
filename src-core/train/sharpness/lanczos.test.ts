import { describe, expect, it } from 'vitest';
import { actCode, type ActCode } from '../../mlp/activation';
import { lossCode, type LossCode } from '../../mlp/loss';
import { sparseOf } from '../../data/sparse-images';
import { createParams, initPyTorch, toFloat64, type MlpParams } from '../../mlp/params';
import { lossGradSparse } from '../../mlp/sparse-backward';
import { createWorkspace } from '../../mlp/workspace';
import { rngFor } from '../../rng';
import { mnistSharpnessSet } from '../../node/sharpness-test-helpers';
import { HeavyBall } from '../optim/heavy-ball';
import { flatten, HessianOperator } from './hvp';
import { lanczos, tridiagonalEigenvalue } from './lanczos';
import { SharpnessMeter } from './meter';
import { sharpnessData, sharpnessSet, type SharpnessData } from './sharpness-set';
import { centralDifferenceHv, kinkFreeStep, norm, PX, unitVector } from './test-helpers';

// λ_max and λ_min of the training-loss Hessian of a tiny network (784-4-10 on the first 50 MNIST training images)
// against a DENSE Hessian built in this file column by column from central differences of the lab's float64
// reference gradient (not from the code under test) and eigendecomposed here by the cyclic Jacobi method.
//
// The dense matrix is the Hessian restricted to the subspace that holds its whole range: every image's loss depends
// on W1 and b1 only through h_b = W1ᵀ x_b + b1, so the (W1, b1) part of every column of H lies in
// span{(x_b, 1) ⊗ e_j} (50 images x 4 units = at most 200 directions), plus the 50 coordinates of W2 and b2. With U
// an orthonormal basis of that subspace, H = U (Uᵀ H U) Uᵀ: H's nonzero eigenvalues are those of the 250 x 250
// matrix Uᵀ H U. (The test checks that claim too: H maps a direction orthogonal to U to 0.)

const HIDDEN = 4;
const N = 50;
const { data, sd, x, y } = mnistSharpnessSet(N);
const shape = { inputs: PX, hidden: HIDDEN, outputs: 10 };

/** Eigenvalues of a symmetric matrix (rows of a square array), ascending: cyclic Jacobi rotations until off-diagonal mass vanishes. */
function jacobiEigenvalues(A: Float64Array[]): number[] {
  const n = A.length;
  const a = A.map((r) => r.slice());
  const off = () => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i][j] * a[i][j];
    return s;
  };
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += a[i][j] * a[i][j];
  for (let sweep = 0; sweep < 60 && off() > 1e-30 * total; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p][q];
        if (Math.abs(apq) < 1e-300) continue;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, sym.schur2).
        const tau = (a[q][q] - a[p][p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]).sort((u, v) => u - v);
}

/**
 * An orthonormal basis of the subspace that holds the Hessian's range: vectors (q ⊗ e_j) for q an orthonormal basis of
 * span{(x_b, 1)} (q[0..784) on W1's column j, q[784] on b1[j]) and the unit vectors of W2 and b2. Kept in this
 * structured form (inner products cost 785 values, not 3,190); flat() writes one out.
 */
interface BasisVector {
  q: Float64Array | null;
  j: number;
}
function rangeBasis(): BasisVector[] {
  const I = PX;
  const H = HIDDEN;
  const qs: Float64Array[] = [];
  for (let b = 0; b < N; b++) {
    const v = new Float64Array(I + 1);
    for (let i = 0; i < I; i++) v[i] = x[b * I + i];
    v[I] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of qs) {
        let d = 0;
        for (let i = 0; i <= I; i++) d += q[i] * v[i];
        for (let i = 0; i <= I; i++) v[i] -= d * q[i];
      }
    }
    const n = norm(v);
    if (n > 1e-8) qs.push(v.map((t) => t / n));
  }
  const U: BasisVector[] = [];
  for (const q of qs) for (let j = 0; j < H; j++) U.push({ q, j });
  for (let k = I * H + H; k < DIM; k++) U.push({ q: null, j: k });
  return U;
}
const DIM = PX * HIDDEN + HIDDEN + 10 * HIDDEN + 10;

/** The basis vector as a flat parameter vector. */
function flat(u: BasisVector): Float64Array {
  const f = new Float64Array(DIM);
  if (u.q === null) f[u.j] = 1;
  else {
    for (let i = 0; i < PX; i++) f[i * HIDDEN + u.j] = u.q[i];
    f[PX * HIDDEN + u.j] = u.q[PX];
  }
  return f;
}

/** uᵀ c for a flat vector c. */
function project(u: BasisVector, c: Float64Array): number {
  if (u.q === null) return c[u.j];
  let s = u.q[PX] * c[PX * HIDDEN + u.j];
  for (let i = 0; i < PX; i++) s += u.q[i] * c[i * HIDDEN + u.j];
  return s;
}

/** The column H u by central differences of the reference gradient, with a step that crosses no ReLU kink. */
function fdColumn(p: MlpParams<Float64Array>, act: ActCode, loss: LossCode, u: Float64Array): Float64Array {
  const theta = flatten(p);
  const h = Math.min(1e-5, kinkFreeStep(p, act, u, x, N));
  if (!(h > 1e-9)) throw new Error(`a pre-activation sits within ${h} of a ReLU kink: pick other weights`);
  return centralDifferenceHv(shape, theta, u, h, act, loss, x, y);
}

/** The dense oracle: eigenvalues of Uᵀ H U, H's columns by central differences. */
function denseEigenvalues(p: MlpParams<Float64Array>, act: ActCode, loss: LossCode, U: BasisVector[]): number[] {
  const m = U.length;
  const M = Array.from({ length: m }, () => new Float64Array(m));
  for (let k = 0; k < m; k++) {
    const col = fdColumn(p, act, loss, flat(U[k]));
    for (let i = 0; i < m; i++) M[i][k] = project(U[i], col);
  }
  let asym = 0;
  let mag = 0;
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < i; k++) {
      asym = Math.max(asym, Math.abs(M[i][k] - M[k][i]));
      mag = Math.max(mag, Math.abs(M[i][k]));
      M[i][k] = M[k][i] = 0.5 * (M[i][k] + M[k][i]);
    }
  }
  expect(asym / mag).toBeLessThan(1e-6); // the finite-difference Hessian is symmetric to its accuracy
  return jacobiEigenvalues(M);
}

function tinyParams(seed: number): MlpParams<Float64Array> {
  const p = createParams(PX, HIDDEN, 10);
  initPyTorch(p, rngFor(seed, 'init'));
  return toFloat64(p);
}

/** A few full-batch heavy-ball steps on the set (float32, the lab's TypeScript kernels): weights further into training. */
function trained(
  p0: MlpParams<Float64Array>,
  act: ActCode,
  loss: LossCode,
  steps: number,
  set: SharpnessData,
): MlpParams {
  const p = {
    ...p0,
    w1: Float32Array.from(p0.w1),
    b1: Float32Array.from(p0.b1),
    w2: Float32Array.from(p0.w2),
    b2: Float32Array.from(p0.b2),
  };
  const g = createParams(p.inputs, p.hidden, 10);
  const ws = createWorkspace(set.idx.length, p.hidden, 10);
  const opt = new HeavyBall([p.w1, p.b1, p.w2, p.b2], 0.1, 0.9);
  for (let t = 0; t < steps; t++) {
    lossGradSparse(p, act, loss, set.images, set.labels, set.idx, 0, set.idx.length, ws, g);
    opt.step([p.w1, p.b1, p.w2, p.b2], [g.w1, g.b1, g.w2, g.b2]);
  }
  return p;
}

describe('λ_max and λ_min by Lanczos against a dense Hessian (784-4-10, 50 MNIST images)', () => {
  const U = rangeBasis();

  it('the dense subspace holds the whole range of H (a direction orthogonal to it is mapped to 0)', () => {
    expect(U.length).toBe(50 * HIDDEN + 10 * HIDDEN + 10);
    const p = tinyParams(3);
    const r = unitVector(DIM, 21);
    for (const u of U) {
      const d = project(u, r);
      const f = flat(u);
      for (let i = 0; i < r.length; i++) r[i] -= d * f[i];
    }
    expect(Math.max(...U.map((u) => Math.abs(project(u, r))))).toBeLessThan(1e-12);
    const inside = new Float64Array(DIM);
    U.slice(0, 40).forEach((u, k) => flat(u).forEach((t, i) => (inside[i] += (k % 3 === 0 ? 1 : -0.5) * t)));
    const out = fdColumn(
      p,
      actCode('relu'),
      lossCode('ce'),
      r.map((t) => t / norm(r)),
    );
    const ref = fdColumn(
      p,
      actCode('relu'),
      lossCode('ce'),
      inside.map((t) => t / norm(inside)),
    );
    expect(norm(out) / norm(ref)).toBeLessThan(1e-7);
  });

  for (const [activation, loss, seed] of [
    ['relu', 'ce', 3],
    ['tanh', 'mse', 4],
    ['sigmoid', 'ce', 5],
  ] as const) {
    it(`match it within 1e-6 relative with ${activation} and ${loss} (run to convergence), and within the stated tolerance at the defaults`, () => {
      const act = actCode(activation);
      const lc = lossCode(loss);
      const p = toFloat64(trained(tinyParams(seed), act, lc, 10, sd));
      const eig = denseEigenvalues(p, act, lc, U);
      const dMax = eig[eig.length - 1];
      const dMin = eig[0];
      expect(dMin, 'the weights show negative curvature, so λ_min is exercised').toBeLessThan(0);

      const op = new HessianOperator(p, act, lc, sd.images, sd.labels, sd.idx);
      const tight = lanczos((v, o) => op.apply(v, o), op.dim, { tolerance: 1e-13, maxProducts: 300, ends: 'both' });
      expect(Math.abs(tight.lambdaMax - dMax) / Math.abs(dMax)).toBeLessThan(1e-6);
      expect(tight.lambdaMin).not.toBeNull();
      expect(Math.abs(tight.lambdaMin! - dMin) / Math.abs(dMin)).toBeLessThan(1e-6);
      // The Ritz vector is an eigenvector: ‖Hy − λy‖ is tiny.
      const hy = new Float64Array(op.dim);
      op.apply(tight.vector, hy);
      expect(norm(hy.map((t, i) => t - tight.lambdaMax * tight.vector[i])) / tight.lambdaMax).toBeLessThan(1e-6);

      // Defaults: stop at relative change < 1e-3 or 20 products.
      const quick = lanczos((v, o) => op.apply(v, o), op.dim);
      expect(quick.products).toBeLessThanOrEqual(20);
      expect(quick.lambdaMax).toBeLessThanOrEqual(dMax * (1 + 1e-9)); // Ritz values lie inside the spectrum
      const err = (dMax - quick.lambdaMax) / dMax;
      console.log(
        `${activation}/${loss}: dense λ_max ${dMax.toFixed(6)} λ_min ${dMin.toFixed(6)}; defaults: λ_max ${quick.lambdaMax.toFixed(6)} after ${quick.products} products (relative error ${err.toExponential(2)}, converged ${quick.converged}), smallest Ritz ${quick.smallestRitz.toFixed(6)}; tight: ${tight.products} products`,
      );
      expect(quick.smallestRitz).toBeGreaterThanOrEqual(dMin * (1 + 1e-9)); // an upper bound on λ_min
      expect(quick.converged).toBe(true);
      expect(err).toBeLessThan(1e-4);
      // Both ends watched: λ_min settles too, within the same budget.
      const both = lanczos((v, o) => op.apply(v, o), op.dim, { ends: 'both' });
      const minErr = (both.lambdaMin! - dMin) / Math.abs(dMin);
      console.log(
        `${activation}/${loss}: ends 'both': λ_max ${both.lambdaMax.toFixed(6)}, λ_min ${both.lambdaMin?.toFixed(6)} (relative error ${minErr.toExponential(2)}) after ${both.products} products, converged ${both.converged}`,
      );
      expect(both.lambdaMin).not.toBeNull();
      expect(minErr).toBeGreaterThanOrEqual(-1e-9);
      expect((dMax - both.lambdaMax) / dMax).toBeLessThan(1e-2);
    }, 120_000);
  }

  it('warm start (the eigenvector of earlier weights) gives the same λ_max as a cold start, in fewer or as many products', () => {
    const act = actCode('relu');
    const lc = lossCode('ce');
    const p0 = tinyParams(6);
    const pA = trained(p0, act, lc, 10, sd);
    const pB = trained(p0, act, lc, 14, sd);
    const meter = new SharpnessMeter(sd, act, lc);
    const first = meter.measure(pA);
    expect(first.warm).toBe(false);
    const warm = meter.measure(pB);
    expect(warm.warm).toBe(true);
    const cold = new SharpnessMeter(sd, act, lc).measure(pB);
    expect(cold.warm).toBe(false);
    const exact = toFloat64(pB);
    const dMax = denseEigenvalues(exact, act, lc, U).at(-1)!;
    console.log(
      `warm ${warm.sharpness} (${warm.hvps} products), cold ${cold.sharpness} (${cold.hvps} products), dense ${dMax}`,
    );
    expect(Math.abs(warm.sharpness - cold.sharpness) / cold.sharpness).toBeLessThan(1e-3);
    expect((dMax - warm.sharpness) / dMax).toBeLessThan(1e-2);
    expect(warm.hvps).toBeLessThanOrEqual(cold.hvps);
  }, 120_000);
});

describe("warm starts along W's training (784-64-10, the first 1,000 images)", () => {
  it('each warm estimate equals a tight cold one within 1e-3, also where the old top direction became the second', () => {
    // W's first 400 iterations (TypeScript kernels, seed 1, BS 32, LR 0.1). At iteration 200 the eigenvector of
    // iteration 0 lies mostly along the new second eigenvector: a start from it alone, stopped by a one-step change
    // test, settled on λ_2 (5.03 against 5.42). The random half of the warm start and the two-step test prevent it.
    const act = actCode('relu');
    const lc = lossCode('ce');
    const big = sharpnessData(data.trainImages, data.trainLabels, PX, sharpnessSet(data.trainCount, 1000));
    const p = createParams(PX, 64, 10);
    initPyTorch(p, rngFor(1, 'init'));
    const order = Int32Array.from({ length: data.trainCount }, (_, i) => i);
    rngFor(1, 'order').shuffle(order);
    const g = createParams(PX, 64, 10);
    const ws = createWorkspace(32, 64, 10);
    const train = sparseOf(data.trainImages, data.trainCount, PX);
    const opt = new HeavyBall([p.w1, p.b1, p.w2, p.b2], 0.1, 0);
    const meter = new SharpnessMeter(big, act, lc);
    let done = 0;
    for (const at of [0, 200, 400]) {
      for (; done < at; done++) {
        lossGradSparse(p, act, lc, train, data.trainLabels, order, done * 32, 32, ws, g);
        opt.step([p.w1, p.b1, p.w2, p.b2], [g.w1, g.b1, g.w2, g.b2]);
      }
      const est = meter.measure(p);
      const op = new HessianOperator(p, act, lc, big.images, big.labels, big.idx);
      const tight = lanczos((v, o) => op.apply(v, o), op.dim, { tolerance: 1e-10, maxProducts: 60 });
      console.log(
        `iteration ${at}: ${est.warm ? 'warm' : 'cold'} ${est.sharpness.toFixed(4)} in ${est.hvps} products, tight ${tight.lambdaMax.toFixed(4)} in ${tight.products}`,
      );
      expect(est.warm).toBe(at > 0);
      expect(est.hvps).toBeLessThanOrEqual(20);
      expect(Math.abs(est.sharpness - tight.lambdaMax) / tight.lambdaMax).toBeLessThan(1e-3);
    }
  }, 300_000);
});

describe('Lanczos on known spectra', () => {
  it('finds both ends of a diagonal operator, and restarts when the start is an exact eigenvector', () => {
    const diag = Float64Array.from({ length: 200 }, (_, i) => (i === 7 ? 50 : i === 100 ? -3 : Math.sin(i)));
    const apply = (v: Float64Array, o: Float64Array) => v.forEach((t, i) => (o[i] = diag[i] * t));
    const r = lanczos(apply, 200, { tolerance: 1e-12, maxProducts: 200, ends: 'both' });
    expect(r.lambdaMax).toBeCloseTo(50, 10);
    expect(r.lambdaMin).toBeCloseTo(-3, 10);
    expect(Math.abs(r.vector[7])).toBeCloseTo(1, 8);
    // Start exactly on the eigenvector of sin(1) ≈ 0.84: the Krylov space closes at once; the restart still finds 50.
    const e1 = new Float64Array(200);
    e1[1] = 1;
    const w = lanczos(apply, 200, { start: e1, warmMix: 0, tolerance: 1e-12, maxProducts: 200 });
    expect(w.warm).toBe(true);
    expect(w.lambdaMax).toBeCloseTo(50, 10);
    // A positive definite operator has no negative Ritz value: lambdaMin is null.
    const pos = lanczos((v, o) => v.forEach((t, i) => (o[i] = (i + 1) * t)), 30, { tolerance: 1e-12, maxProducts: 30 });
    expect(pos.lambdaMin).toBeNull();
    expect(pos.lambdaMax).toBeCloseTo(30, 10);
    expect(pos.smallestRitz).toBeCloseTo(1, 10);
  });

  it('counts its products and stops at maxProducts', () => {
    let calls = 0;
    const r = lanczos(
      (v, o) => {
        calls++;
        v.forEach((t, i) => (o[i] = (i % 17) * t));
      },
      500,
      { tolerance: 0, maxProducts: 5 },
    );
    expect(r.products).toBe(5);
    expect(calls).toBe(5);
    expect(r.converged).toBe(false);
  });

  it('bisection on a tridiagonal matches its known eigenvalues 2 − 2cos(kπ/(m+1))', () => {
    const m = 12;
    const alpha = new Array(m).fill(2);
    const beta = new Array(m - 1).fill(-1);
    for (let k = 0; k < m; k++)
      expect(tridiagonalEigenvalue(alpha, beta, k)).toBeCloseTo(2 - 2 * Math.cos(((k + 1) * Math.PI) / (m + 1)), 12);
  });

  it('refuses bad options and non-finite products', () => {
    const id = (v: Float64Array, o: Float64Array) => o.set(v);
    expect(() => lanczos(id, 0)).toThrow(/dim/);
    expect(() => lanczos(id, 4, { maxProducts: 0 })).toThrow(/maxProducts/);
    expect(() => lanczos(id, 4, { tolerance: NaN })).toThrow(/tolerance/);
    expect(() => lanczos(id, 4, { start: new Float64Array(3) })).toThrow(/start/);
    expect(() => lanczos((_v, o) => o.fill(NaN), 4)).toThrow(/non-finite/);
  });
});
