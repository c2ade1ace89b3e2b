import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { rngFor } from '../../rng';
import { actCode } from '../activation';
import { lossCode } from '../loss';
import { initPyTorch } from '../params';
import { FastNet, type FastNetOptions } from './fast-net';
import { NetKeeper } from './net-keeper';

// A trainer process's net across runs (issue 18): the same options give the same net back, reset, and it then
// trains and evaluates exactly as a new net (every loss, the weights, a test and a validation pass, bit for bit),
// even after a run that drove it to non-finite weights; other options (hidden size, subset, validation set) build
// a new net, in the old one's memory, which equals a new net too. Real MNIST.

const { data } = loadDataset(builtinMnistFiles());
const subset = (from: number) => Int32Array.from({ length: 300 }, (_, i) => from + i);

function options(hidden: number, from: number | null, val: number, firstLayer?: 'sparse' | 'dense'): FastNetOptions {
  return {
    inputs: 784,
    hidden,
    maxBatch: 16,
    firstLayer,
    train: { images: data.trainImages, count: data.trainCount, only: from === null ? null : subset(from) },
    validation: {
      images: Int32Array.from({ length: 50 }, (_, i) => val + i),
      labels: data.trainLabels.slice(val, val + 50),
    },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 2,
    evalChunk: 256,
  };
}

/** Trains 12 steps of heavy-ball from seed's weights over the subset, then evaluates slot 1; everything it saw. */
function train(net: FastNet, from: number | null, seed: number, lr = 0.05) {
  const act = actCode('relu');
  const loss = lossCode('ce');
  initPyTorch(net.params, rngFor(seed, 'init'));
  const order = subset(from ?? 0);
  const losses: number[] = [];
  for (let s = 0; s < 12; s++) {
    losses.push(net.lossGrad(act, loss, data.trainLabels, order, s * 16, 16), net.correct);
    net.stepHeavyBall(lr, 0.9);
  }
  net.snapshot(1);
  for (const job of [net.evalJob(1, act, loss), net.valJob(1, act, loss)!])
    for (let f = 0; f < job.count; f += job.chunk) net.evalRows(job, f, Math.min(job.chunk, job.count - f));
  const { w1, b1, w2, b2 } = net.params;
  return {
    losses,
    w1: w1.slice(),
    b1: b1.slice(),
    w2: w2.slice(),
    b2: b2.slice(),
    ...net.evalResult(1),
    val: net.valResult(1),
  };
}

const fresh = (o: FastNetOptions) => FastNet.create(o)!;

describe('NetKeeper', () => {
  it('gives the same net back reset, and it trains as a new one; other options build anew in the same memory', () => {
    const keeper = new NetKeeper();
    const first = keeper.get(options(24, 0, 1000))!;
    expect(keeper.last).toBe('built');
    const wild = train(first, 0, 1, 1e30); // a run that diverged: non-finite weights and velocities
    expect(wild.w1.some((x) => !Number.isFinite(x))).toBe(true);

    const again = keeper.get(options(24, 0, 1000))!; // equal options in new arrays
    expect(keeper.last).toBe('reused');
    expect(again).toBe(first);
    expect(train(again, 0, 2)).toEqual(train(fresh(options(24, 0, 1000)), 0, 2));

    for (const [o, from] of [
      [options(16, 0, 1000), 0], // another hidden size
      [options(24, 500, 1000), 500], // another subset
      [options(24, 0, 2000), 0], // another validation set
    ] as const) {
      const memory = keeper.get(options(24, 0, 1000))!.memory;
      const other = keeper.get(o)!;
      expect(keeper.last).toBe('built');
      expect(other.memory).toBe(memory);
      expect(train(other, from, 3)).toEqual(train(fresh(o), from, 3));
    }
  });

  it('without a subset, takes another validation split of the same size as the same net (a seed study)', () => {
    for (const layer of ['sparse', 'dense'] as const) {
      const keeper = new NetKeeper();
      const first = keeper.get(options(24, null, 1000, layer))!;
      expect(first.validationSwappable).toBe(true);
      train(first, null, 1);
      for (const val of [7000, 1000, 59950]) {
        const next = keeper.get(options(24, null, val, layer))!;
        expect(keeper.last).toBe('reused');
        expect(next).toBe(first);
        const seen = train(next, null, val);
        const alone = train(fresh(options(24, null, val, layer)), null, val);
        expect(seen).toEqual(alone);
        // The validation pass measured this split: its labels' counts are its confusion matrix's row sums.
        const rows = Array.from({ length: 10 }, (_, t) =>
          seen.val!.confusion.slice(t * 10, t * 10 + 10).reduce((x, y) => x + y, 0),
        );
        const labels = Array.from(
          { length: 10 },
          (_, t) => data.trainLabels.slice(val, val + 50).filter((y) => y === t).length,
        );
        expect(rows).toEqual(labels);
      }
      // Another size of validation set, or a subset, is another net.
      keeper.get(options(24, null, 1000, layer));
      const bigger = {
        ...options(24, null, 1000, layer),
        validation: { images: Int32Array.from({ length: 60 }, (_, i) => i), labels: data.trainLabels.slice(0, 60) },
      };
      keeper.get(bigger);
      expect(keeper.last).toBe('built');
      expect(() => first.setValidation({ images: new Int32Array([0]), labels: new Uint8Array([1]) })).toThrow(
        /expected 50 validation images/,
      );
    }
    const subsetNet = new NetKeeper().get(options(24, 0, 1000))!;
    expect(subsetNet.validationSwappable).toBe(false);
    expect(() => subsetNet.setValidation(options(24, 0, 2000).validation!)).toThrow(/own packed copy/);
  });
});
