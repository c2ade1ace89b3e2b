import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../../contracts/train-config';
import type { DatasetFiles } from '../../contracts/train-protocol';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { sourceEvalThread } from '../../node/eval-thread-test-helpers';
import { rngFor } from '../../rng';
import { actCode, type ActCode } from '../activation';
import { lossCode, type LossCode } from '../loss';
import { paramList, type MlpParams } from '../params';
import { randomBatch, randomParams } from '../test-helpers';
import { DENSE_FROM_NONZERO, FastNet, type FastNetOptions, type FirstLayer } from './fast-net';

// The dense first layer (forwardDense/backwardDense: every pixel, four images per register tile) against the sparse
// kernels (packed nonzeros), which fast-net.test.ts holds to the float64 TypeScript reference. Both sum over the
// pixels in the same order, so they must agree bit for bit: logits, loss, gradients, steps, evaluation slots.

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const fashionFiles = (): DatasetFiles => ({
  trainImages: `${FASHION_DIR}/train-images-idx3-ubyte.gz`,
  trainLabels: `${FASHION_DIR}/train-labels-idx1-ubyte.gz`,
  testImages: `${FASHION_DIR}/t10k-images-idx3-ubyte.gz`,
  testLabels: `${FASHION_DIR}/t10k-labels-idx1-ubyte.gz`,
});
const haveFashion = existsSync(fashionFiles().trainImages);

type Bytes = { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
const bytes = (a: Bytes) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function pair(o: Omit<FastNetOptions, 'firstLayer'>, p: MlpParams): Record<FirstLayer, FastNet> {
  const make = (firstLayer: FirstLayer) => {
    const net = FastNet.create({ ...o, firstLayer });
    if (!net) throw new Error('this host has no WebAssembly SIMD');
    expect(net.firstLayer).toBe(firstLayer);
    paramList(net.params).forEach((a, k) => a.set(paramList(p)[k]));
    return net;
  };
  return { sparse: make('sparse'), dense: make('dense') };
}

function expectSameParams(a: MlpParams, b: MlpParams, what: string): void {
  const names = ['w1', 'b1', 'w2', 'b2'];
  paramList(a).forEach((x, k) => {
    if (!bytes(x).equals(bytes(paramList(b)[k]))) {
      const y = paramList(b)[k];
      const i = x.findIndex((v, j) => !Object.is(v, y[j]));
      expect.fail(`${what} ${names[k]}[${i}]: dense ${x[i]} vs sparse ${y[i]}`);
    }
  });
}

/** A whole test pass (and a validation pass if the net has one) in slot 0, on this thread. */
function evaluate(net: FastNet, act: ActCode, loss: LossCode) {
  net.snapshot(0);
  const jobs = [net.evalJob(0, act, loss), net.valJob(0, act, loss)].filter((j) => j !== null);
  for (const job of jobs) {
    for (let from = 0; from < job.count; from += job.chunk) {
      net.evalRows(job, from, Math.min(job.chunk, job.count - from));
    }
  }
  return { test: net.evalResult(0), logits: net.logits(0).slice(), val: net.valResult(0) };
}

function expectSameEval(d: ReturnType<typeof evaluate>, s: ReturnType<typeof evaluate>, what: string): void {
  expect(bytes(d.logits).equals(bytes(s.logits)), `${what}: test logits bit for bit`).toBe(true);
  expect(d.test.lossSum, `${what}: test loss`).toBe(s.test.lossSum);
  expect(d.test.confusion).toEqual(s.test.confusion);
  expect(d.val).toEqual(s.val);
}

describe("the dense first layer gives the sparse kernels' numbers bit for bit", () => {
  for (const batch of [1, 5, 32]) {
    for (const hidden of [1, 7, 63, 64, 300]) {
      it(`random images, batch ${batch}, hidden ${hidden}, every activation and loss`, () => {
        const px = 784;
        const n = 40;
        const b = randomBatch(n, px, batch * 31 + hidden);
        const set = { images: b.images, count: n };
        const p = randomParams(px, hidden, hidden * 3 + batch);
        const labels = b.labels;
        const o = { inputs: px, hidden, maxBatch: batch, train: set, test: set, testLabels: labels };
        const nets = pair({ ...o, evalSlots: 1, evalChunk: 6 }, p);
        const idx = Int32Array.from({ length: batch }, (_, i) => (i * 7 + 3) % n);
        for (const act of ACTIVATIONS) {
          for (const loss of LOSSES) {
            const [a, l] = [actCode(act), lossCode(loss)];
            const ld = nets.dense.lossGrad(a, l, b.labels, idx, 0, batch);
            const ls = nets.sparse.lossGrad(a, l, b.labels, idx, 0, batch);
            expect(ld, `${act}/${loss} loss`).toBe(ls);
            const same = bytes(nets.dense.batchLogits(batch)).equals(bytes(nets.sparse.batchLogits(batch)));
            expect(same, `${act}/${loss} logits`).toBe(true);
            expectSameParams(nets.dense.grads, nets.sparse.grads, `${act}/${loss} gradient`);
            expectSameEval(evaluate(nets.dense, a, l), evaluate(nets.sparse, a, l), `${act}/${loss}`);
            nets.dense.clearGrads();
            nets.sparse.clearGrads();
          }
        }
      });
    }
  }

  it('chooses by the measured nonzero fraction: MNIST (19 %), Fashion-MNIST (50 %) sparse, dense images dense', () => {
    const { data } = loadDataset(builtinMnistFiles());
    const test = { images: data.testImages.subarray(0, 784 * 10), count: 10 };
    const testLabels = data.testLabels.subarray(0, 10);
    const o = { inputs: 784, hidden: 8, maxBatch: 4, test, testLabels, evalSlots: 1, evalChunk: 10 };
    const only = Int32Array.from({ length: 2000 }, (_, i) => i * 3);
    const mnist = FastNet.create({ ...o, train: { images: data.trainImages, count: data.trainCount, only } })!;
    expect(mnist.nonzeroFraction).toBeGreaterThan(0.15);
    expect(mnist.nonzeroFraction).toBeLessThan(0.25);
    expect(mnist.firstLayer).toBe('sparse');
    if (haveFashion) {
      const f = loadDataset(fashionFiles()).data;
      const fashion = FastNet.create({ ...o, train: { images: f.trainImages, count: f.trainCount, only } })!;
      expect(fashion.nonzeroFraction).toBeGreaterThan(0.4);
      expect(fashion.nonzeroFraction).toBeLessThan(DENSE_FROM_NONZERO);
      expect(fashion.firstLayer).toBe('sparse');
    }
    // Images with every pixel nonzero (grey 1..255) take the dense kernels.
    const denseImages = Uint8Array.from(data.trainImages.subarray(0, 784 * 100), (g) => 1 + (g % 255));
    const dense = FastNet.create({ ...o, train: { images: denseImages, count: 100 } })!;
    expect(dense.nonzeroFraction).toBe(1);
    expect(dense.firstLayer).toBe('dense');
  });

  const trains = 'trains Fashion-MNIST identically: SGD, heavy-ball, a subset, a validation set, the eval thread';
  it.skipIf(!haveFashion)(trains, async () => {
    const { data } = loadDataset(fashionFiles());
    const r = rngFor(4, 'dense-test');
    const only = Int32Array.from({ length: 3000 }, () => r.nextInt(data.trainCount));
    const valImages = Int32Array.from({ length: 200 }, (_, i) => (i * 97 + 11) % data.trainCount);
    const validation = { images: valImages, labels: Uint8Array.from(valImages, (k) => data.trainLabels[k]) };
    const B = 32;
    for (const d of [0, 0.9]) {
      const p = randomParams(784, 64, 17);
      const nets = pair(
        {
          inputs: 784,
          hidden: 64,
          maxBatch: B,
          train: { images: data.trainImages, count: data.trainCount, only },
          validation,
          test: { images: data.testImages, count: data.testCount },
          testLabels: data.testLabels,
          evalSlots: 2,
          evalChunk: 1000,
        },
        p,
      );
      for (let it = 0; it < 90; it++) {
        const from = (it * B) % (only.length - B);
        const ld = nets.dense.lossGrad(0, 0, data.trainLabels, only, from, B);
        const ls = nets.sparse.lossGrad(0, 0, data.trainLabels, only, from, B);
        expect(ld, `d=${d} iteration ${it} loss`).toBe(ls);
        const lr = d > 0 ? 0.01 : 0.1;
        expect(nets.dense.stepHeavyBall(lr, d)).toBe(nets.sparse.stepHeavyBall(lr, d));
      }
      expectSameParams(nets.dense.params, nets.sparse.params, `d=${d} after 90 steps`);
      // The eval thread runs the dense job as evalRows does on this thread.
      const here = evaluate(nets.sparse, 0, 0);
      const runner = sourceEvalThread(nets.dense, null);
      try {
        nets.dense.snapshot(1);
        await runner.run({ jobs: [nets.dense.evalJob(1, 0, 0), nets.dense.valJob(1, 0, 0)!], sharpness: false });
      } finally {
        runner.close();
      }
      const dn = nets.dense;
      const there = { test: dn.evalResult(1), logits: dn.logits(1).slice(), val: dn.valResult(1) };
      expectSameEval(there, here, `d=${d} eval thread`);
      expect(here.test.correct / data.testCount, 'the model learned something').toBeGreaterThan(0.6);
    }
  });

  it('refuses an image outside the kept training images in dense mode', () => {
    const b = randomBatch(20, 784, 3);
    const set = { images: b.images, count: 20 };
    const train = { ...set, only: [1, 2] };
    const o = { inputs: 784, hidden: 8, maxBatch: 2, train, test: set, testLabels: b.labels, evalSlots: 1 };
    const net = FastNet.create({ ...o, evalChunk: 4, firstLayer: 'dense' })!;
    expect(() => net.lossGrad(0, 0, b.labels, Int32Array.of(1, 5), 0, 2)).toThrow(/image 5 is not among/);
  });
});
