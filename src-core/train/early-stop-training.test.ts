import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import type { TrainerMessage } from '../contracts/train-protocol';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { runTraining, type TrainData, type TrainOptions } from './trainer';

// Early stopping during training (config.earlyStop = patience in evaluations): stop once the test loss has not
// improved for P evaluations, restore the best weights, evaluate them once more, end 'finished'.

let mnist: TrainData;
beforeAll(() => {
  mnist = loadDataset(builtinMnistFiles()).data;
});

async function train(config: Partial<TrainConfig>, options: TrainOptions = {}): Promise<TrainerMessage[]> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  await runTraining('run-es', { ...DEFAULT_TRAIN_CONFIG, ...config }, mnist, { emit: (m) => messages.push(m), shouldStop: () => false, yieldNow: () => Promise.resolve(), now: () => t++ }, options);
  return messages;
}

describe('early stopping during training', () => {
  it('is off by default, and configs recorded without the field read as off', () => {
    expect(DEFAULT_TRAIN_CONFIG.earlyStop).toBeNull();
    const { earlyStop: _, ...old } = DEFAULT_TRAIN_CONFIG;
    expect(TrainConfigSchema.parse(old).earlyStop).toBeNull();
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, earlyStop: 0 }).success).toBe(false);
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, earlyStop: 1.5 }).success).toBe(false);
  });

  for (const kernels of ['fast', 'reference'] as const) {
    it(`a tiny subset with patience 2 stops early and ends on the best test loss (${kernels} kernels)`, async () => {
      const config = { perClass: 2, batchSize: 5, epochs: 200, evalEvery: 4, lr: 0.5, hidden: 32, seed: 2, earlyStop: 2 };
      const messages = await train(config, { kernels });
      const end = messages[messages.length - 1];
      expect(end.type).toBe('end');
      if (end.type !== 'end') return;
      expect(end.status).toBe('finished');
      const m = /^stopped early at iteration (\d+) \(patience 2\); restored the weights of iteration (\d+)$/.exec(end.message);
      expect(m, end.message).not.toBeNull();
      const stopIter = Number(m![1]);
      const bestIter = Number(m![2]);
      const totalIters = 4 * 200; // 20 examples / BS 5 = 4 iterations per epoch
      expect(stopIter).toBeLessThan(totalIters);
      expect(end.iter).toBe(stopIter);

      const points = messages.flatMap((x) => (x.type === 'eval' ? [x.point] : []));
      const last = points[points.length - 1];
      const before = points.slice(0, -1);
      // The regular evaluations: the best is at bestIter, and exactly P = 2 evaluations without improvement followed.
      const best = before.reduce((a, b) => (b.testLoss < a.testLoss ? b : a));
      expect(best.iter).toBe(bestIter);
      expect(before[before.length - 1].iter).toBe(stopIter);
      expect(before.filter((p) => p.iter > bestIter).length).toBe(2);
      // The extra evaluation of the restored weights: at the stop iteration, with the best test loss and accuracy.
      expect(last.iter).toBe(stopIter);
      expect(Math.abs(last.testLoss - best.testLoss)).toBeLessThan(1e-6 * Math.max(1, best.testLoss));
      expect(last.testAcc).toBeCloseTo(best.testAcc, 6);
      expect(last.testLoss).toBeLessThan(before[before.length - 1].testLoss);
      // Each evaluation is followed by its weights; the last ones are the restored weights.
      const weights = messages.filter((x) => x.type === 'weights');
      expect(weights.length).toBe(points.length);
    });
  }
});
