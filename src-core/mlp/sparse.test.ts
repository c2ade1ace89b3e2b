import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../contracts/train-config';
import { denseRows, encodeSparse } from '../data/sparse-images';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { rngFor } from '../rng';
import { actCode } from './activation';
import { lossCode } from './loss';
import { createParams, paramList, type MlpParams } from './params';
import { referenceForward, referenceLossGrad } from './reference';
import { forwardSparse } from './sparse-forward';
import { lossGradSparse } from './sparse-backward';
import { randomBatch, randomParams } from './test-helpers';
import { createWorkspace } from './workspace';

// Element by element: |fast - reference| <= 1e-5 + 1e-4 |reference| (float32 tolerance).
function expectClose(fast: ArrayLike<number>, ref: ArrayLike<number>, what: string): void {
  expect(fast.length, what).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(ref[i]);
    if (!(Math.abs(fast[i] - ref[i]) <= tol)) expect.fail(`${what}[${i}]: fast ${fast[i]} vs reference ${ref[i]}`);
  }
}

function compare(
  p: MlpParams,
  images: Uint8Array,
  labels: Uint8Array,
  idx: Int32Array,
  px: number,
  activation: (typeof ACTIVATIONS)[number],
  loss: (typeof LOSSES)[number],
) {
  const B = idx.length;
  const act = actCode(activation);
  const lc = lossCode(loss);
  const count = images.length / px;
  const sparse = encodeSparse(images, count, px);
  const ws = createWorkspace(B, p.hidden, 10);
  const g = createParams(px, p.hidden, 10);
  const l = lossGradSparse(p, act, lc, sparse, labels, idx, 0, B, ws, g);
  const x = denseRows(images, px, idx);
  const ref = createParams(px, p.hidden, 10);
  const r = referenceLossGrad(
    p,
    act,
    lc,
    x,
    Uint8Array.from(idx, (i) => labels[i]),
    B,
    ref,
  );
  expect(Math.abs(l - r.loss)).toBeLessThanOrEqual(1e-5 + 1e-5 * r.loss);
  expect(ws.correct).toBe(r.correct);
  forwardSparse(p, act, sparse, idx, 0, B, ws);
  const [z, a] = referenceForward(p, act, x, B);
  expectClose(ws.z.subarray(0, B * 10), z, 'logits');
  expectClose(ws.a.subarray(0, B * p.hidden), a, 'hidden');
  const names = ['w1', 'b1', 'w2', 'b2'];
  paramList(g).forEach((arr, k) => expectClose(arr, paramList(ref)[k], names[k]));
}

describe('the sparse fast path equals the dense reference', () => {
  for (const batch of [1, 7, 32]) {
    for (const hidden of [1, 63, 64]) {
      it(`on random images, batch ${batch}, hidden ${hidden}, every activation and loss`, () => {
        const px = 784;
        const b = randomBatch(40, px, batch * 100 + hidden);
        const idx = Int32Array.from({ length: batch }, (_, i) => (i * 7 + 3) % 40);
        const p = randomParams(px, hidden, hidden + batch);
        for (const act of ACTIVATIONS) for (const loss of LOSSES) compare(p, b.images, b.labels, idx, px, act, loss);
      });
    }
  }

  it('on real MNIST batches', () => {
    const { data } = loadDataset(builtinMnistFiles());
    const r = rngFor(9, 'pick');
    const sparse = encodeSparse(data.trainImages, data.trainCount, 784);
    for (const act of ACTIVATIONS) {
      for (const loss of LOSSES) {
        const idx = Int32Array.from({ length: 32 }, () => r.nextInt(data.trainCount));
        const p = randomParams(784, 64, r.nextInt(1000));
        // Real MNIST: the fast path reads the full training set's sparse lists.
        const images = data.trainImages;
        const ws = createWorkspace(32, 64, 10);
        const g = createParams(784, 64, 10);
        const l = lossGradSparse(p, actCode(act), lossCode(loss), sparse, data.trainLabels, idx, 0, 32, ws, g);
        const ref = createParams(784, 64, 10);
        const rr = referenceLossGrad(
          p,
          actCode(act),
          lossCode(loss),
          denseRows(images, 784, idx),
          Uint8Array.from(idx, (i) => data.trainLabels[i]),
          32,
          ref,
        );
        expect(Math.abs(l - rr.loss)).toBeLessThanOrEqual(1e-5 * (1 + rr.loss));
        paramList(g).forEach((arr, k) => expectClose(arr, paramList(ref)[k], `${act}/${loss} param ${k}`));
      }
    }
  });

  it('rejects batches larger than its workspace and indices outside the data', () => {
    const b = randomBatch(4, 20, 1);
    const p = randomParams(20, 3, 1);
    const ws = createWorkspace(2, 3, 10);
    expect(() => forwardSparse(p, 0, b.sparse, b.idx, 0, 3, ws)).toThrow(RangeError);
    expect(() => forwardSparse(p, 0, b.sparse, Int32Array.from([0, 9]), 0, 2, ws)).toThrow(RangeError);
  });
});
