import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainData } from '../../train/train-data';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { rngFor } from '../../rng';
import type { ActCode } from '../activation';
import type { LossCode } from '../loss';
import { paramList, type MlpParams } from '../params';
import { randomParams } from '../test-helpers';
import { BatchedNet, type HeavyBallSettings } from './batched-net';
import { evalJobRows } from './eval-rows';
import { FastNet } from './fast-net';

// Several models stepping together (BatchedNet) against each model run alone on FastNet, on real MNIST: every
// mini-batch loss, right-answer count and finite flag, the weights after every step, and a test pass must be equal
// bit for bit.

const TRAIN = 3000;
const TEST = 1500;
let data: TrainData;
let subset: Int32Array;
let testImages: Uint8Array;
let testLabels: Uint8Array;

beforeAll(() => {
  data = loadDataset(builtinMnistFiles()).data;
  const r = rngFor(7, 'subset');
  subset = Int32Array.from({ length: TRAIN }, () => r.nextInt(data.trainCount));
  testImages = data.testImages.subarray(0, TEST * 784);
  testLabels = data.testLabels.subarray(0, TEST);
});

const sets = () => ({
  inputs: 784,
  maxBatch: 32,
  train: { images: data.trainImages, count: data.trainCount, only: subset },
  test: { images: testImages, count: TEST },
  testLabels,
  evalChunk: 500,
});

const bytes = (p: MlpParams) => paramList(p).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));

/** Trains the models alone and together over the same batches and expects every number equal. */
function compare(H: number, act: ActCode, loss: LossCode, settings: HeavyBallSettings[], steps: number, batch = 32) {
  const K = settings.length;
  const inits = settings.map((_, m) => randomParams(784, H, 11 + m));
  const alone = settings.map((_, m) => {
    const net = FastNet.create({ ...sets(), hidden: H, evalSlots: 1, firstLayer: 'sparse' })!;
    paramList(net.params).forEach((a, i) => a.set(paramList(inits[m])[i]));
    return net;
  });
  const many = BatchedNet.create({ ...sets(), hidden: H, models: K })!;
  inits.forEach((p, m) => many.setParams(m, p));
  const order = Int32Array.from(subset);
  rngFor(3, 'order').shuffle(order);
  // A model leaves (as its run would end, diverged) at its first non-finite loss or parameter.
  const alive = settings.map(() => true);
  for (let s = 0, from = 0; s < steps; s++, from = (from + batch) % (TRAIN - batch)) {
    const count = s === steps - 1 ? batch - 5 : batch; // a short last batch too
    many.lossGrad(act, loss, data.trainLabels, order, from, count);
    const stepped = many.step(settings);
    settings.forEach(({ lr, d }, m) => {
      if (!alive[m]) return;
      const l = alone[m].lossGrad(act, loss, data.trainLabels, order, from, count);
      expect(Object.is(many.loss[m], l), `model ${m} step ${s}: loss ${many.loss[m]} vs ${l}`).toBe(true);
      expect(many.correct[m]).toBe(alone[m].correct);
      const ok = alone[m].stepHeavyBall(lr, d);
      expect(stepped[m], `model ${m} step ${s}: finite`).toBe(ok);
      alive[m] = ok && Number.isFinite(l);
    });
  }
  settings.forEach((_, m) => {
    if (!alive[m]) return;
    const got = bytes(many.params(m));
    bytes(alone[m].params).forEach((want, i) => expect(got[i].equals(want), `model ${m} tensor ${i}`).toBe(true));
  });
  const evals = many.evaluate(act, loss);
  settings.forEach((_, m) => {
    if (!alive[m]) return;
    const net = alone[m];
    net.snapshot(0);
    evalJobRows(net.k, net.evalJob(0, act, loss));
    const want = net.evalResult(0);
    expect(Object.is(evals[m].lossSum, want.lossSum), `model ${m} test loss`).toBe(true);
    expect(evals[m].correct).toBe(want.correct);
    expect(Buffer.from(evals[m].predicted).equals(Buffer.from(want.predicted))).toBe(true);
    expect(Array.from(evals[m].confusion)).toEqual(Array.from(want.confusion));
  });
  return { alive, evals };
}

describe('BatchedNet: models stepping together equal each model run alone, bit for bit (real MNIST)', () => {
  it('an LR sweep with plain SGD and heavy-ball (ReLU, cross-entropy, hidden 64)', () => {
    const settings = [0.01, 0.03, 0.1, 0.3].map((lr) => ({ lr, d: 0 }));
    settings.push({ lr: 0.01, d: 0.9 });
    const { evals } = compare(64, 0, 0, settings, 60);
    // The models did learn different things (the comparison is not of identical numbers).
    expect(new Set(evals.map((e) => e.lossSum)).size).toBe(settings.length);
  });

  it('only heavy-ball models (every row stepped) with tanh and MSE at an odd width (SIMD tails)', () => {
    compare(
      7,
      2,
      1,
      [
        { lr: 0.05, d: 0.5 },
        { lr: 0.1, d: 0.9 },
        { lr: 0.2, d: 0.99 },
      ],
      25,
      8,
    );
  });

  it('a diverging model leaves the group without changing the others', () => {
    const { alive } = compare(
      16,
      0,
      0,
      [
        { lr: 0.1, d: 0 },
        { lr: 1e36, d: 0.9 },
        { lr: 0.5, d: 0 },
      ],
      20,
    );
    expect(alive).toEqual([true, false, true]);
  });

  it('refuses a model outside the group and single-model calls on a group', () => {
    const many = BatchedNet.create({ ...sets(), hidden: 8, models: 2 })!;
    expect(() => many.setParams(2, randomParams(784, 8, 1))).toThrow(/no model 2/);
    expect(() => many.setParams(0, randomParams(784, 9, 1))).toThrow(/expected 784-8-10/);
    expect(() => many.step([{ lr: 0.1, d: 0 }])).toThrow(/expected 2 settings/);
    const net = FastNet.create({ ...sets(), hidden: 16, models: 2, evalSlots: 1, firstLayer: 'sparse' })!;
    expect(() => net.lossGrad(0, 0, data.trainLabels, subset, 0, 4)).toThrow(/2 models side by side/);
    expect(() => FastNet.create({ ...sets(), hidden: 16, models: 3, evalSlots: 1, firstLayer: 'sparse' })).toThrow(
      /not a multiple/,
    );
  });
});
