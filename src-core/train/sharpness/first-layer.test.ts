import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../../contracts/train-config';
import { actCode } from '../../mlp/activation';
import { lossCode } from '../../mlp/loss';
import { rngFor } from '../../rng';
import { mnistSharpnessSet } from '../../node/sharpness-test-helpers';
import { HessianOperator } from './hvp';
import { appliedTo, params64, PX, unitVector } from './test-helpers';
import { firstLayerLoops } from './wasm/first-layer';

// The Hessian-vector product's sparse first-layer loops: the WebAssembly float64 SIMD loops against a dense float64
// product computed here from the images' pixels, and against the TypeScript loops, bit for bit (same terms, same
// order); then whole products of the operator with either.

const N = 40;
const { sd, x } = mnistSharpnessSet(N);
// A non-trivial image order: every second image, backwards, and one image twice.
const idx = Int32Array.from([...Array.from({ length: N / 2 }, (_, i) => N - 1 - 2 * i), 3]);

function randomArray(n: number, seed: number): Float64Array {
  const r = rngFor(seed, 'first-layer-test');
  return Float64Array.from({ length: n }, () => 2 * r.nextFloat() - 1);
}

describe('the first-layer loops of the Hessian-vector product', () => {
  it('run in WebAssembly on this host', () => {
    expect(firstLayerLoops(sd.images, sd.idx, 8).kind).toBe('fast');
    expect(firstLayerLoops(sd.images, sd.idx, 8, 'reference').kind).toBe('reference');
  });

  // H = 37 takes every path of the kernels: two blocks of 16 lanes, two pairs, one single lane.
  for (const H of [1, 6, 37, 64]) {
    it(`gather and scatter equal a dense float64 product; both implementations agree bit for bit (H = ${H})`, () => {
      const fast = firstLayerLoops(sd.images, idx, H, 'fast');
      const ref = firstLayerLoops(sd.images, idx, H, 'reference');
      const w = randomArray(PX * H, H);
      const start = randomArray(idx.length * H, H + 1);
      const rowsFast = start.slice();
      const rowsRef = start.slice();
      fast.gather(w, rowsFast);
      ref.gather(w, rowsRef);
      expect(rowsFast).toEqual(rowsRef);
      // Oracle: rows[b] = start[b] + x_(idx[b]) W from the dense pixels.
      let worst = 0;
      for (let b = 0; b < idx.length; b++) {
        for (let j = 0; j < H; j++) {
          let s = start[b * H + j];
          for (let i = 0; i < PX; i++) s += x[idx[b] * PX + i] * w[i * H + j];
          worst = Math.max(worst, Math.abs(s - rowsFast[b * H + j]) / Math.max(1, Math.abs(s)));
        }
      }
      expect(worst).toBeLessThan(1e-12);

      const d = randomArray(idx.length * H, H + 2);
      const gFast = randomArray(PX * H, 99); // overwritten
      const gRef = new Float64Array(PX * H);
      fast.scatter(d, gFast);
      ref.scatter(d, gRef);
      expect(gFast).toEqual(gRef);
      worst = 0;
      for (let i = 0; i < PX; i += 7) {
        for (let j = 0; j < H; j++) {
          let s = 0;
          for (let b = 0; b < idx.length; b++) s += x[idx[b] * PX + i] * d[b * H + j];
          worst = Math.max(worst, Math.abs(s - gFast[i * H + j]) / Math.max(1, Math.abs(s)));
        }
      }
      expect(worst).toBeLessThan(1e-12);
      // The comparison can fail: one changed element is seen.
      gFast[5] += 1e-12;
      expect(gFast).not.toEqual(gRef);
    });
  }

  for (const activation of ACTIVATIONS) {
    for (const loss of LOSSES) {
      it(`give the operator the same products and loss with either implementation (${activation}, ${loss})`, () => {
        const p = params64(6, 7, 3);
        const args = [p, actCode(activation), lossCode(loss), sd.images, sd.labels, sd.idx] as const;
        const fast = new HessianOperator(...args, firstLayerLoops(sd.images, sd.idx, 6, 'fast'));
        const ref = new HessianOperator(...args, firstLayerLoops(sd.images, sd.idx, 6, 'reference'));
        expect(fast.loss).toBe(ref.loss);
        const v = unitVector(fast.dim, 5);
        expect(appliedTo(fast, v)).toEqual(appliedTo(ref, v));
      });
    }
  }
});
