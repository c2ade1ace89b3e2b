import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../contracts/train-config';
import type { EndStatus, TrainerMessage } from '../contracts/train-protocol';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { runTraining, type TrainData, type TrainHooks } from './trainer';

let mnist: TrainData;
beforeAll(() => {
  mnist = loadDataset(builtinMnistFiles()).data;
});

interface Run {
  status: EndStatus;
  messages: TrainerMessage[];
}

/** A run with a fake clock (1 ms per call) so message batching is reproducible. */
async function train(
  config: Partial<TrainConfig>,
  hooks: Partial<TrainHooks> = {},
  data: TrainData = mnist,
): Promise<Run> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  const status = await runTraining('run-1', { ...DEFAULT_TRAIN_CONFIG, ...config }, data, {
    emit: (m) => messages.push(m),
    shouldStop: () => false,
    yieldNow: () => Promise.resolve(),
    now: () => t++,
    ...hooks,
  });
  const ends = messages.filter((m) => m.type === 'end');
  expect(ends.length, 'exactly one end message').toBe(1);
  expect(messages[messages.length - 1].type).toBe('end');
  expect((ends[0] as Extract<TrainerMessage, { type: 'end' }>).status).toBe(status);
  return { status, messages };
}

const of = <T extends TrainerMessage['type']>(run: Run, type: T) =>
  run.messages.filter((m): m is Extract<TrainerMessage, { type: T }> => m.type === type);
const endOf = (run: Run) => of(run, 'end')[0];
/** Every message as JSON with elapsedMs dropped and typed arrays replaced by a sha-256 of their bytes (bit-exact, fast to compare). */
const withoutTime = (run: Run) =>
  run.messages.map((m) =>
    JSON.stringify(m, (key, v) => {
      if (key === 'elapsedMs') return undefined;
      if (ArrayBuffer.isView(v))
        return `${v.constructor.name}:${createHash('sha256')
          .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
          .digest('hex')}`;
      return v;
    }),
  );
function lossCurve(run: Run): Float32Array {
  const parts = of(run, 'batch');
  const out = new Float32Array(parts.reduce((n, b) => n + b.loss.length, 0));
  let o = 0;
  for (const b of parts) {
    expect(b.fromIter).toBe(o);
    out.set(b.loss, o);
    o += b.loss.length;
    expect(b.iter).toBe(o);
  }
  return out;
}

describe('training on MNIST', () => {
  it('reaches at least 80 % test accuracy from a class-balanced subset of 100 per class', async () => {
    const run = await train({ perClass: 100, epochs: 10, evalEvery: 100 });
    expect(run.status).toBe('finished');
    const started = of(run, 'started')[0];
    expect(started.trainSize).toBe(1000);
    expect(started.itersPerEpoch).toBe(32);
    expect(started.totalIters).toBe(320);
    const counts = new Array(10).fill(0);
    for (const i of started.subsetIndices!) counts[mnist.trainLabels[i]]++;
    expect(counts).toEqual(new Array(10).fill(100));
    const evals = of(run, 'eval');
    expect(evals.map((e) => e.point.iter)).toEqual([100, 200, 300, 320]);
    const last = evals[evals.length - 1];
    expect(last.point.testAcc).toBeGreaterThanOrEqual(0.8);
    expect(last.point.epoch).toBe(10);
    expect(last.point.examples).toBe(10_000);
    expect(lossCurve(run).length).toBe(320);
    // The eval detail is consistent with its accuracy.
    const d = last.detail;
    let right = 0;
    for (let i = 0; i < mnist.testCount; i++) if (d.predicted[i] === mnist.testLabels[i]) right++;
    expect(right / mnist.testCount).toBe(last.point.testAcc);
    expect(d.confusion.reduce((a, b) => a + b)).toBe(10_000);
    let diag = 0;
    for (let k = 0; k < 10; k++) diag += d.confusion[k * 11];
    expect(diag).toBe(right);
    expect(d.probs.length).toBe(100_000);
    const row0 = d.probs.subarray(0, 10).reduce((a, b) => a + b);
    expect(row0).toBeCloseTo(1, 5);
    expect(d.confidence[0]).toBe(d.probs[d.predicted[0]]);
    expect(endOf(run).message).toBe('finished 320 iterations');
  });

  it('gives identical messages for the same seed, and a different curve for another seed', async () => {
    const config = { perClass: 20, epochs: 3, evalEvery: 10, seed: 42 };
    const a = await train(config);
    const b = await train(config);
    expect(withoutTime(b)).toEqual(withoutTime(a));
    const c = await train({ ...config, seed: 43 });
    expect(lossCurve(c)).not.toEqual(lossCurve(a));
    expect(of(c, 'started')[0].subsetIndices).not.toEqual(of(a, 'started')[0].subsetIndices);
  });

  it('keeps the initial weights and batch order of a seed when only the learning rate changes', async () => {
    // Same init and same first batch: the first mini-batch loss (taken before any step) is equal.
    const a = await train({ perClass: 10, epochs: 1, lr: 0.1, seed: 5 });
    const b = await train({ perClass: 10, epochs: 1, lr: 0.01, momentum: 0.9, seed: 5 });
    expect(lossCurve(a)[0]).toBe(lossCurve(b)[0]);
    expect(lossCurve(a)[1]).not.toBe(lossCurve(b)[1]);
  });

  it('sends every mini-batch loss once, before each eval, with a short last batch per epoch', async () => {
    const run = await train({ perClass: 5, batchSize: 16, epochs: 2, evalEvery: 3 });
    expect(of(run, 'started')[0].itersPerEpoch).toBe(4);
    const curve = lossCurve(run);
    expect(curve.length).toBe(8);
    let seen = 0;
    for (const m of run.messages) {
      if (m.type === 'batch') seen = m.iter;
      if (m.type === 'eval') expect(seen).toBe(m.point.iter);
    }
    const evals = of(run, 'eval');
    expect(evals.map((e) => e.point.iter)).toEqual([3, 6, 8]);
    expect(evals[1].point.examples).toBe(50 + 16 + 16);
  });

  it("ends 'diverged' at a huge learning rate, with the iteration and the reason", async () => {
    const run = await train({ lr: 50, perClass: 50 });
    expect(run.status).toBe('diverged');
    const end = endOf(run);
    expect(end.iter).toBeGreaterThanOrEqual(1);
    expect(end.iter).toBeLessThan(20);
    expect(end.message).toMatch(
      new RegExp(
        `^diverged at iteration ${end.iter}: (loss is (NaN|Infinity)|loss .* exceeds the explosion threshold 100|parameters became non-finite after the update)$`,
      ),
    );
    const curve = lossCurve(run);
    expect(curve.length).toBe(end.iter);
  });

  it("ends 'diverged' with learning rate 10 for every seed tried", async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = await train({ lr: 10, seed });
      expect(run.status, `seed ${seed}`).toBe('diverged');
      expect(endOf(run).iter).toBeLessThan(50);
      expect(of(run, 'eval').length).toBe(0);
    }
  });

  it("ends 'diverged' with heavy-ball momentum d > 1", async () => {
    const run = await train({ lr: 0.1, momentum: 1.1 });
    expect(run.status).toBe('diverged');
  });

  it('does not call learning rates 1 and 2 diverged', async () => {
    for (const lr of [1, 2]) {
      const run = await train({ lr, perClass: 500, epochs: 3, evalEvery: 1_000_000 });
      expect(run.status, `lr ${lr}`).toBe('finished');
    }
  });

  it("ends 'cancelled' at the next mini-batch once shouldStop turns true", async () => {
    let calls = 0;
    const cancelled = await train({ perClass: 100, epochs: 5 }, { shouldStop: () => ++calls > 10 });
    expect(cancelled.status).toBe('cancelled');
    expect(endOf(cancelled).iter).toBe(10);
    expect(endOf(cancelled).message).toBe('cancelled at iteration 10');
    expect(lossCurve(cancelled).length).toBe(10);
  });

  it('yields often enough for a cancel sent from outside to stop a full run within a second', async () => {
    let stop = false;
    let stoppedAt = 0;
    const timer = setTimeout(() => {
      stop = true;
      stoppedAt = performance.now();
    }, 300);
    const run = await train(
      {},
      {
        shouldStop: () => stop,
        yieldNow: () => new Promise<void>((r) => setImmediate(r)),
        now: () => performance.now(),
      },
    );
    clearTimeout(timer);
    expect(run.status).toBe('cancelled');
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
  });

  it("ends 'failed' with the reason on a bad config or bad data, and emits nothing else", async () => {
    const bad = await train({ lr: -1 });
    expect(bad.status).toBe('failed');
    expect(bad.messages.length).toBe(1);
    expect(endOf(bad).message).toMatch(/^config: lr: must be > 0/);
    const adam = await train({ optimizer: 'adam', momentum: 1 });
    expect(endOf(adam).message).toMatch(/Adam uses the momentum factor as beta1/);
    const tooMany = await train({ perClass: 10_000 });
    expect(endOf(tooMany).message).toMatch(/class 0 has only 5923 training images/);
    const broken = await train({}, {}, { ...mnist, testLabels: new Uint8Array(3) });
    expect(broken.status).toBe('failed');
    expect(endOf(broken).message).toMatch(/test has 3 labels for 10000 images/);
  });

  it('trains with every activation, loss and optimizer', async () => {
    for (const [activation, loss, optimizer, momentum, lr] of [
      ['sigmoid', 'mse', 'heavy-ball', 0.9, 0.5],
      ['tanh', 'ce', 'nesterov', 0.9, 0.05],
      ['relu', 'mse', 'adam', 0.9, 0.001],
    ] as const) {
      const run = await train({ activation, loss, optimizer, momentum, lr, perClass: 50, epochs: 5 });
      expect(run.status, `${activation}/${loss}/${optimizer}`).toBe('finished');
      const evals = of(run, 'eval');
      expect(evals[evals.length - 1].point.testAcc, `${activation}/${loss}/${optimizer}`).toBeGreaterThan(0.5);
    }
  });
});
