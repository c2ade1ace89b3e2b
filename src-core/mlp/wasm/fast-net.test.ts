import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../../contracts/train-config';
import { encodeSparse, type SparseImages } from '../../data/sparse-images';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { rngFor } from '../../rng';
import { HeavyBall } from '../../train/optim/heavy-ball';
import { actCode } from '../activation';
import { lossCode } from '../loss';
import { accumulateEval, startEvalPass } from '../../train/evaluate';
import { createParams, paramList, type MlpParams } from '../params';
import { forwardSparse } from '../sparse-forward';
import { lossGradBatch, lossGradSparse } from '../sparse-backward';
import { randomBatch, randomParams } from '../test-helpers';
import { createWorkspace } from '../workspace';
import { FastNet, type ImageSet } from './fast-net';

// Every WebAssembly kernel against the TypeScript reference kernels, element by element:
// |fast - reference| <= 2e-5 + 1e-4 |reference| (float32 lanes against float64 intermediates).
function expectClose(fast: ArrayLike<number>, ref: ArrayLike<number>, what: string): void {
  expect(fast.length, what).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const tol = 2e-5 + 1e-4 * Math.abs(ref[i]);
    if (!(Math.abs(fast[i] - ref[i]) <= tol)) expect.fail(`${what}[${i}]: fast ${fast[i]} vs reference ${ref[i]}`);
  }
}

function copyInto(dst: MlpParams, src: MlpParams): void {
  paramList(dst).forEach((a, k) => a.set(paramList(src)[k]));
}

function netFor(p: MlpParams, train: ImageSet, test: ImageSet, testLabels: Uint8Array, maxBatch: number): FastNet {
  const net = FastNet.create({
    inputs: p.inputs,
    hidden: p.hidden,
    maxBatch,
    train,
    test,
    testLabels,
    evalSlots: 2,
    evalChunk: 64,
  });
  if (!net) throw new Error('this host has no WebAssembly SIMD');
  copyInto(net.params, p);
  return net;
}

/** Fast and reference loss, correct count, logits, activations and gradients of one batch. */
function compareBatch(
  net: FastNet,
  p: MlpParams,
  sparse: SparseImages,
  labels: Uint8Array,
  idx: Int32Array,
  activation: (typeof ACTIVATIONS)[number],
  loss: (typeof LOSSES)[number],
  what: string,
) {
  const B = idx.length;
  const act = actCode(activation);
  const lc = lossCode(loss);
  const lf = net.lossGrad(act, lc, labels, idx, 0, B);
  const zf = net.batchLogits(B);
  // The loss head on the fast logits, in TypeScript: the WebAssembly head computes exactly the same numbers.
  const head = createWorkspace(B, p.hidden, 10);
  head.z.set(zf);
  expect(lossGradBatch(lc, labels, idx, 0, B, head), `${what} loss head, bit for bit`).toBe(lf);
  expect(net.correct, `${what} right answers of the loss head`).toBe(head.correct);
  const ws = createWorkspace(B, p.hidden, 10);
  const g = createParams(p.inputs, p.hidden, 10);
  const lr = lossGradSparse(p, act, lc, sparse, labels, idx, 0, B, ws, g);
  expect(Math.abs(lf - lr), `${what} loss`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(lr)));
  expectClose(zf, ws.z.subarray(0, B * 10), `${what} logits`);
  expect(
    Math.abs(net.correct - ws.correct),
    `${what} correct (an argmax may flip on a float32 tie)`,
  ).toBeLessThanOrEqual(Math.ceil(B / 500));
  const names = ['w1', 'b1', 'w2', 'b2'];
  paramList(net.grads).forEach((arr, k) => expectClose(arr, paramList(g)[k], `${what} grad ${names[k]}`));
  // The next backward starts from zero gradients.
  net.clearGrads();
}

describe('the WebAssembly kernels equal the TypeScript reference kernels', () => {
  for (const batch of [1, 7, 32, 1000]) {
    for (const hidden of [1, 63, 64, 300]) {
      it(`on random images, batch ${batch}, hidden ${hidden}, every activation and loss`, () => {
        const px = 784;
        const n = Math.max(40, batch);
        const b = randomBatch(n, px, batch * 100 + hidden);
        const idx = Int32Array.from({ length: batch }, (_, i) => (i * 7 + 3) % n);
        const p = randomParams(px, hidden, hidden + batch);
        const set = { images: b.images, count: n };
        const net = netFor(p, set, set, b.labels, batch);
        const cases =
          batch * hidden > 20000
            ? [['relu', 'ce'] as const, ['tanh', 'mse'] as const]
            : ACTIVATIONS.flatMap((a) => LOSSES.map((l) => [a, l] as const));
        for (const [act, loss] of cases) compareBatch(net, p, b.sparse, b.labels, idx, act, loss, `${act}/${loss}`);
      });
    }
  }

  it('on real MNIST batches, and a full test pass in evaluation slots', () => {
    const { data } = loadDataset(builtinMnistFiles());
    const train = encodeSparse(data.trainImages, data.trainCount, 784);
    const test = encodeSparse(data.testImages, data.testCount, 784);
    const r = rngFor(9, 'pick');
    for (const act of ACTIVATIONS) {
      for (const loss of LOSSES) {
        const idx = Int32Array.from({ length: 32 }, () => r.nextInt(data.trainCount));
        const p = randomParams(784, 64, r.nextInt(1000));
        const net = netFor(
          p,
          { images: data.trainImages, count: data.trainCount },
          { images: data.testImages, count: data.testCount },
          data.testLabels,
          32,
        );
        compareBatch(net, p, train, data.trainLabels, idx, act, loss, `MNIST ${act}/${loss}`);
        net.snapshot(1);
        const job = net.evalJob(1, actCode(act), lossCode(loss));
        for (let from = 0; from < job.count; from += job.chunk)
          net.evalRows(job, from, Math.min(job.chunk, job.count - from));
        const all = Int32Array.from({ length: data.testCount }, (_, i) => i);
        const ws = createWorkspace(500, 64, 10);
        const z = net.logits(1);
        for (let from = 0; from < data.testCount; from += 500) {
          forwardSparse(p, actCode(act), test, all, from, 500, ws);
          expectClose(z.subarray(from * 10, (from + 500) * 10), ws.z, `test logits ${act}/${loss} from ${from}`);
        }
        // The evaluation head on the fast logits, in TypeScript chunk by chunk: the slot holds exactly the same results.
        const ref = startEvalPass(data.testCount);
        for (let from = 0; from < job.count; from += job.chunk)
          accumulateEval(
            ref,
            z,
            from * 10,
            Math.min(job.chunk, job.count - from),
            data.testLabels,
            lossCode(loss),
            new Float64Array(10),
          );
        const got = net.evalResult(1);
        expect(got.lossSum, `evaluation loss ${act}/${loss}`).toBe(ref.lossSum);
        expect(got.correct).toBe(ref.correct);
        expect(got.predicted).toEqual(ref.detail.predicted);
        expect(got.confusion).toEqual(ref.detail.confusion);
        expect(
          Buffer.from(got.probs.buffer).equals(Buffer.from(ref.detail.probs.buffer)),
          'probabilities bit for bit',
        ).toBe(true);
        expect(
          Buffer.from(got.confidence.buffer).equals(Buffer.from(ref.detail.confidence.buffer)),
          'confidences bit for bit',
        ).toBe(true);
        // A second evaluation in the same slot starts from cleared counts.
        net.snapshot(1);
        for (let from = 0; from < job.count; from += job.chunk)
          net.evalRows(job, from, Math.min(job.chunk, job.count - from));
        expect(net.evalResult(1).confusion).toEqual(ref.detail.confusion);
      }
    }
  });

  it('steps heavy-ball and SGD bit for bit as HeavyBall.step, touching only the rows a batch used when d = 0', () => {
    const b = randomBatch(64, 784, 5);
    for (const d of [0, 0.9]) {
      const p = randomParams(784, 63, 3);
      const net = netFor(p, { images: b.images, count: 64 }, { images: b.images, count: 64 }, b.labels, 16);
      const ref = createParams(784, 63, 10);
      copyInto(ref, p);
      const opt = new HeavyBall(paramList(ref), 0.1, d);
      const g = createParams(784, 63, 10);
      for (let it = 0; it < 5; it++) {
        const idx = Int32Array.from({ length: 16 }, (_, i) => (i * 5 + it * 16) % 64);
        net.lossGrad(0, 0, b.labels, idx, 0, 16);
        // The reference optimizer steps on the fast gradients, so the comparison is of the steps alone.
        paramList(g).forEach((a, k) => a.set(paramList(net.grads)[k]));
        expect(net.stepHeavyBall(0.1, d)).toBe(true);
        opt.step(paramList(ref), paramList(g));
        paramList(net.params).forEach((a, k) =>
          expect(
            Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(paramList(ref)[k].buffer)),
            `d=${d} param ${k} iteration ${it}`,
          ).toBe(true),
        );
        for (const a of paramList(net.grads)) expect(a.every((x) => x === 0)).toBe(true);
      }
    }
  });

  it('encodes only the chosen images of a subset: the others have no pixels', () => {
    const b = randomBatch(50, 784, 8);
    const p = randomParams(784, 16, 2);
    const only = [3, 17, 40];
    const net = netFor(p, { images: b.images, count: 50, only }, { images: b.images, count: 50 }, b.labels, 3);
    const sub = createParams(784, 16, 10);
    paramList(sub).forEach((a, k) => a.set(paramList(p)[k]));
    compareBatch(net, sub, b.sparse, b.labels, Int32Array.from(only), 'relu', 'ce', 'subset');
    net.lossGrad(0, 0, b.labels, Int32Array.of(5), 0, 1);
    const ws = createWorkspace(1, 16, 10);
    const empty = { ...b.sparse, start: new Int32Array(51) };
    forwardSparse(p, 0, empty, Int32Array.of(5), 0, 1, ws);
    expectClose(net.batchLogits(1), ws.z.subarray(0, 10), 'an image outside the subset is blank');
  });

  it('reports a non-finite parameter after a step', () => {
    const b = randomBatch(8, 784, 6);
    const net = netFor(
      randomParams(784, 8, 1),
      { images: b.images, count: 8 },
      { images: b.images, count: 8 },
      b.labels,
      8,
    );
    net.grads.b2[3] = Infinity;
    expect(net.stepHeavyBall(0.1, 0)).toBe(false);
  });
});
