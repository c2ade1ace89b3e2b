import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '../contracts/train-config';
import type { TrainerMessage } from '../contracts/train-protocol';
import { createParams, initPyTorch } from '../mlp/params';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { rngFor, STREAMS } from '../rng';
import { runTraining, type TrainData } from '../train/trainer';
import { planStudy } from './plan';

// Common random numbers: within a study every run of one seed starts from the
// same weights and sees the same mini-batches, so a comparison isolates the
// varied setting. The trainer's first mini-batch loss is computed before any
// update: it is a function of the initial weights and the first batch only.

let mnist: TrainData;
beforeAll(() => {
  mnist = loadDataset(builtinMnistFiles()).data;
});

/** The per-iteration mini-batch losses of a short run. */
async function losses(config: TrainConfig): Promise<Float32Array> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  await runTraining(`crn-${config.lr}-${config.momentum}-${config.seed}`, config, mnist, {
    emit: (m) => messages.push(m),
    shouldStop: () => false,
    yieldNow: () => Promise.resolve(),
    now: () => t++,
  });
  const out: number[] = [];
  for (const m of messages) if (m.type === 'batch') out.push(...m.loss);
  return Float32Array.from(out);
}

const study = planStudy(
  {
    kind: 'lr',
    values: [0.01, 1],
    seeds: 1,
    small: true,
    base: {
      hidden: 32,
      batchSize: 16,
      lr: 0.1,
      epochs: 1,
      momentum: 0,
      optimizer: 'heavy-ball',
      activation: 'relu',
      loss: 'ce',
      seed: 5,
      evalEvery: 1000,
      perClass: 10,
      earlyStop: null,
      trainLossMode: 'running',
      validation: 5000,
      sharpnessEvery: null,
      sharpnessBatch: 1000,
    },
  },
  60000,
);
const [slow, fast] = study.configs.map((c) => ({ ...c, epochs: 1, perClass: 10 }));

describe('common random numbers in a learning-rate study', () => {
  it('plans both runs with the same seed and everything but the learning rate equal', () => {
    expect(slow.lr).toBe(0.01);
    expect(fast.lr).toBe(1);
    expect({ ...slow, lr: 0 }).toEqual({ ...fast, lr: 0 });
  });

  it('gives both runs the same initial weights and the same first batch indices from the seed streams', () => {
    const init = (c: TrainConfig) => {
      const p = createParams(784, c.hidden, 10);
      initPyTorch(p, rngFor(c.seed, STREAMS.init));
      return p;
    };
    const a = init(slow);
    const b = init(fast);
    expect(Buffer.from(a.w1.buffer).equals(Buffer.from(b.w1.buffer))).toBe(true);
    expect(Buffer.from(a.w2.buffer).equals(Buffer.from(b.w2.buffer))).toBe(true);
    const firstBatch = (c: TrainConfig) => {
      const order = Int32Array.from({ length: 100 }, (_, i) => i);
      rngFor(c.seed, STREAMS.order).shuffle(order);
      return [...order.subarray(0, c.batchSize)];
    };
    expect(firstBatch(slow)).toEqual(firstBatch(fast));
    // ...and another seed would not.
    expect(firstBatch({ ...slow, seed: slow.seed + 1 })).not.toEqual(firstBatch(slow));
  });

  it("the trainer's first mini-batch loss (before any update) is bit-identical for LR 0.01 and LR 1; the second differs", async () => {
    const [a, b] = [await losses(slow), await losses(fast)];
    expect(a.length).toBeGreaterThan(2);
    expect(Object.is(a[0], b[0])).toBe(true);
    expect(a[1]).not.toBe(b[1]);
  });

  it('so is it for momentum d = 0 and d = 0.9, and a different seed gives a different first loss', async () => {
    const d0 = await losses({ ...slow, momentum: 0 });
    const d9 = await losses({ ...slow, momentum: 0.9 });
    expect(Object.is(d0[0], d9[0])).toBe(true);
    const other = await losses({ ...slow, seed: slow.seed + 1 });
    expect(other[0]).not.toBe(d0[0]);
  });
});
