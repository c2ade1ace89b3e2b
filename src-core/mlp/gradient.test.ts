import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../contracts/train-config';
import { denseRows } from '../data/sparse-images';
import { actCode } from './activation';
import { lossCode } from './loss';
import { createParams, paramList, toFloat64, type MlpParams } from './params';
import { referenceLossGrad } from './reference';
import { lossGradSparse } from './sparse-backward';
import { randomBatch, randomParams } from './test-helpers';
import { createWorkspace } from './workspace';

// Central differences dL/dw ~ (L(w + h) - L(w - h)) / 2h on a float64 copy of the math.

const PX = 12;
const HIDDEN = 5;
const BATCH = 6;

function fdGradients(p64: MlpParams<Float64Array>, lossAt: () => number, h: number): Float64Array[] {
  return paramList(p64).map((a) => {
    const g = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const w = a[i];
      a[i] = w + h;
      const up = lossAt();
      a[i] = w - h;
      const down = lossAt();
      a[i] = w;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}

function maxMismatch(analytic: ArrayLike<number>[], numeric: Float64Array[], abs: number, rel: number): number {
  let worst = 0;
  for (let a = 0; a < numeric.length; a++) {
    for (let i = 0; i < numeric[a].length; i++) {
      const err = Math.abs(analytic[a][i] - numeric[a][i]) / (abs + rel * Math.abs(numeric[a][i]));
      worst = Math.max(worst, err);
    }
  }
  return worst;
}

describe('gradients agree with central differences', () => {
  const batch = randomBatch(BATCH, PX, 3);
  const x = denseRows(batch.images, PX, batch.idx);
  for (const activation of ACTIVATIONS) {
    for (const loss of LOSSES) {
      const act = actCode(activation);
      const lc = lossCode(loss);
      const p32 = randomParams(PX, HIDDEN, 11, 3);
      const p64 = toFloat64(p32);
      const lossAt = () => referenceLossGrad(p64, act, lc, x, batch.labels, BATCH, null).loss;
      const numeric = fdGradients(p64, lossAt, 1e-6);

      it(`for the float64 reference with ${activation} and ${loss}`, () => {
        const g = toFloat64(createParams(PX, HIDDEN, 10));
        referenceLossGrad(p64, act, lc, x, batch.labels, BATCH, g);
        expect(maxMismatch(paramList(g), numeric, 1e-7, 1e-5)).toBeLessThan(1);
        // The check can fail: a wrong gradient is caught.
        g.w1[3] += 1e-3;
        expect(maxMismatch(paramList(g), numeric, 1e-7, 1e-5)).toBeGreaterThan(1);
      });

      it(`for the sparse float32 fast path with ${activation} and ${loss}`, () => {
        const g = createParams(PX, HIDDEN, 10);
        const ws = createWorkspace(BATCH, HIDDEN, 10);
        lossGradSparse(p32, act, lc, batch.sparse, batch.labels, batch.idx, 0, BATCH, ws, g);
        expect(maxMismatch(paramList(g), numeric, 1e-5, 1e-3)).toBeLessThan(1);
      });
    }
  }
});
