import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../../contracts/train-config';
import { actCode } from '../../mlp/activation';
import { lossCode } from '../../mlp/loss';
import { referenceLossGrad } from '../../mlp/reference';
import { mnistSharpnessSet } from '../../node/sharpness-test-helpers';
import { flatSize, flatten, HessianOperator } from './hvp';
import {
  appliedTo,
  centralDifferenceHv,
  kinkFreeStep,
  norm,
  params64,
  PX,
  referenceGradient,
  unitVector,
} from './test-helpers';

// The R-operator Hessian-vector product against an oracle it did not produce: central differences of the lab's
// dense float64 reference gradient, (∇L(θ + h v) − ∇L(θ − h v)) / 2h, on real MNIST images.

const N = 20;
const HIDDEN = 6;
const { sd, x, y } = mnistSharpnessSet(N);

describe('Hessian-vector products (R-operator) on 20 MNIST images, 784-6-10, float64', () => {
  for (const activation of ACTIVATIONS) {
    for (const loss of LOSSES) {
      it(`match central differences of the reference gradient (relative error < 1e-6) with ${activation} and ${loss}`, () => {
        const act = actCode(activation);
        const lc = lossCode(loss);
        const p = params64(HIDDEN, 7, 3);
        const shape = { inputs: PX, hidden: HIDDEN, outputs: 10 };
        const op = new HessianOperator(p, act, lc, sd.images, sd.labels, sd.idx);
        // Its forward pass and gradient are the reference's.
        const ref = referenceLossGrad(p, act, lc, x, y, N, null);
        expect(Math.abs(op.loss - ref.loss) / ref.loss).toBeLessThan(1e-13);
        const theta = flatten(p);
        const g = referenceGradient(shape, theta, act, lc, x, y);
        const gOp = op.gradient();
        expect(norm(gOp.map((v, i) => v - g[i])) / norm(g)).toBeLessThan(1e-12);

        for (const seed of [1, 2, 3]) {
          const v = unitVector(flatSize(shape), seed);
          const hv = appliedTo(op, v);
          const h = Math.min(1e-5, kinkFreeStep(p, act, v, x, N));
          expect(h).toBeGreaterThan(1e-9); // the step is not so small that round-off would dominate
          const fd = centralDifferenceHv(shape, theta, v, h, act, lc, x, y);
          const rel = (a: Float64Array) => norm(a.map((t, i) => t - fd[i])) / norm(fd);
          expect(norm(hv)).toBeGreaterThan(1e-3);
          expect(rel(hv), `seed ${seed}`).toBeLessThan(1e-6);
          // Every block agrees, not just the norm (W1 dominates it).
          const blocks = [
            [0, PX * HIDDEN],
            [PX * HIDDEN, PX * HIDDEN + HIDDEN],
            [PX * HIDDEN + HIDDEN, op.dim - 10],
            [op.dim - 10, op.dim],
          ];
          for (const [a, b] of blocks) {
            const err = norm(hv.subarray(a, b).map((t, i) => t - fd[a + i]));
            expect(err / Math.max(norm(fd.subarray(a, b)), 1e-12), `block [${a}, ${b})`).toBeLessThan(1e-5);
          }
          // The check can fail: an error of 1e-5 of the norm in one entry is caught.
          const wrong = hv.slice();
          wrong[op.dim - 3] += 1e-5 * norm(hv);
          expect(rel(wrong)).toBeGreaterThan(1e-6);
        }
        expect(op.products).toBe(3);
      });
    }
  }

  it('is symmetric: u·Hv = v·Hu (tanh, MSE)', () => {
    const p = params64(HIDDEN, 9, 2);
    const op = new HessianOperator(p, actCode('tanh'), lossCode('mse'), sd.images, sd.labels, sd.idx);
    const u = unitVector(op.dim, 11);
    const v = unitVector(op.dim, 12);
    const hu = new Float64Array(op.dim);
    const hv = new Float64Array(op.dim);
    op.apply(u, hu);
    op.apply(v, hv);
    const a = u.reduce((s, t, i) => s + t * hv[i], 0);
    const b = v.reduce((s, t, i) => s + t * hu[i], 0);
    expect(Math.abs(a - b) / Math.abs(a)).toBeLessThan(1e-10);
  });

  it('reads float32 weights the same as their float64 copy, and keeps its own copy', () => {
    const p = params64(HIDDEN, 5);
    const p32 = {
      ...p,
      w1: Float32Array.from(p.w1),
      b1: Float32Array.from(p.b1),
      w2: Float32Array.from(p.w2),
      b2: Float32Array.from(p.b2),
    };
    const p64 = {
      ...p,
      w1: Float64Array.from(p32.w1),
      b1: Float64Array.from(p32.b1),
      w2: Float64Array.from(p32.w2),
      b2: Float64Array.from(p32.b2),
    };
    const a = new HessianOperator(p32, actCode('relu'), lossCode('ce'), sd.images, sd.labels, sd.idx);
    const b = new HessianOperator(p64, actCode('relu'), lossCode('ce'), sd.images, sd.labels, sd.idx);
    p32.w2.fill(0); // later changes do not reach the operator
    const v = unitVector(a.dim, 4);
    expect(appliedTo(a, v)).toEqual(appliedTo(b, v));
  });

  it('refuses bad input with a clear error', () => {
    const p = params64(HIDDEN, 5);
    const op = new HessianOperator(p, actCode('relu'), lossCode('ce'), sd.images, sd.labels, sd.idx);
    expect(() => op.apply(new Float64Array(3), new Float64Array(op.dim))).toThrow(/must hold/);
    const v = new Float64Array(op.dim);
    expect(() => op.apply(v, v)).toThrow(/alias/);
    expect(
      () => new HessianOperator(p, actCode('relu'), lossCode('ce'), sd.images, sd.labels, Int32Array.from([0, N + 5])),
    ).toThrow(/outside/);
    expect(
      () =>
        new HessianOperator(
          p,
          actCode('relu'),
          lossCode('ce'),
          sd.images,
          Uint8Array.from(sd.labels, () => 12),
          sd.idx,
        ),
    ).toThrow(/label 12/);
    expect(
      () => new HessianOperator(p, actCode('relu'), lossCode('ce'), sd.images, sd.labels, new Int32Array(0)),
    ).toThrow(/empty/);
  });
});
