import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../contracts/train-protocol';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { runTraining, type TrainData, type TrainOptions } from './trainer';

// trainLossMode 'full': the train loss and accuracy of an evaluation are a full pass over the training set with
// the weights of that moment. On a dataset whose test set IS its training set they must equal the test numbers.

let same: TrainData;
beforeAll(() => {
  const mnist = loadDataset(builtinMnistFiles()).data;
  const n = 300;
  const images = mnist.trainImages.slice(0, n * 784);
  const labels = mnist.trainLabels.slice(0, n);
  same = {
    rows: 28,
    cols: 28,
    trainCount: n,
    trainImages: images,
    trainLabels: labels,
    testCount: n,
    testImages: images.slice(),
    testLabels: labels.slice(),
  };
});

async function points(config: Partial<TrainConfig>, options: TrainOptions = {}): Promise<EvalPoint[]> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  // A 300-image dataset has no room for a validation set (and this test compares train with test numbers only).
  const status = await runTraining(
    'run-tl',
    { ...DEFAULT_TRAIN_CONFIG, validation: 0, ...config },
    same,
    { emit: (m) => messages.push(m), shouldStop: () => false, yieldNow: () => Promise.resolve(), now: () => t++ },
    options,
  );
  expect(status).toBe('finished');
  return messages.flatMap((m) => (m.type === 'eval' ? [m.point] : []));
}

describe('train loss mode', () => {
  it("defaults to 'running' (also for configs recorded without it) and refuses other values", () => {
    expect(DEFAULT_TRAIN_CONFIG.trainLossMode).toBe('running');
    const { trainLossMode: _, ...old } = DEFAULT_TRAIN_CONFIG;
    expect(TrainConfigSchema.parse(old).trainLossMode).toBe('running');
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, trainLossMode: 'exact' }).success).toBe(false);
  });

  for (const kernels of ['fast', 'reference'] as const) {
    it(`'full' is a pass over the training set: equal to the test numbers when the test set is the training set (${kernels})`, async () => {
      const config = { batchSize: 20, epochs: 3, evalEvery: 5, hidden: 16, lr: 0.2 };
      const full = await points({ ...config, trainLossMode: 'full' }, { kernels });
      const running = await points({ ...config, trainLossMode: 'running' }, { kernels });
      expect(full.length).toBeGreaterThan(5);
      for (const p of full) {
        expect(Math.abs(p.trainLoss - p.testLoss)).toBeLessThan(1e-5 * Math.max(1, p.testLoss));
        expect(Math.abs(p.trainAcc - p.testAcc)).toBeLessThan(1e-9 + 1 / 300 / 2);
      }
      // Same weights (the pass changes nothing), but the running mean is not the full pass.
      expect(running.map((p) => p.testLoss)).toEqual(full.map((p) => p.testLoss));
      expect(running.some((p) => Math.abs(p.trainLoss - p.testLoss) > 1e-3)).toBe(true);
    });
  }

  it("'full' on a subset passes over the subset's images (a training loss near 0 once it is memorised)", async () => {
    const p = await points({
      perClass: 2,
      batchSize: 5,
      epochs: 60,
      evalEvery: 40,
      hidden: 32,
      lr: 0.3,
      trainLossMode: 'full',
    });
    const last = p[p.length - 1];
    expect(last.trainAcc).toBe(1);
    expect(last.trainLoss).toBeLessThan(0.05);
  });
});
