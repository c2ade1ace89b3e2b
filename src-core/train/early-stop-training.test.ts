import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import type { TrainOptions } from './trainer';
import { trainMessages } from '../node/train-test-helpers';

// Early stopping during training (config.earlyStop = patience in evaluations): stop once the VALIDATION loss has
// not improved for P evaluations, restore the best weights, evaluate them once more, end 'finished'. The test set
// is only reported.

const train = (config: Partial<TrainConfig>, options: TrainOptions = {}) => trainMessages('run-es', config, options);

describe('early stopping during training', () => {
  it('is off by default, and configs recorded without the field read as off', () => {
    expect(DEFAULT_TRAIN_CONFIG.earlyStop).toBeNull();
    const { earlyStop: _, ...old } = DEFAULT_TRAIN_CONFIG;
    expect(TrainConfigSchema.parse(old).earlyStop).toBeNull();
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, earlyStop: 0 }).success).toBe(false);
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, earlyStop: 1.5 }).success).toBe(false);
  });

  it('refuses early stopping without a validation set (it would choose on the test set)', async () => {
    const messages = await train({ perClass: 2, epochs: 1, earlyStop: 2, validation: 0 });
    const end = messages[messages.length - 1];
    expect(end).toMatchObject({ type: 'end', status: 'failed' });
    expect(end.type === 'end' && end.message).toMatch(/early stopping needs a validation set/);
    expect(messages.some((m) => m.type === 'eval')).toBe(false);
  });

  for (const kernels of ['fast', 'reference'] as const) {
    it(`a tiny subset with patience 2 stops early on the validation loss and ends on its best point (${kernels} kernels)`, async () => {
      const config = {
        perClass: 2,
        batchSize: 5,
        epochs: 200,
        evalEvery: 4,
        lr: 0.5,
        hidden: 32,
        seed: 2,
        earlyStop: 2,
      };
      const messages = await train(config, { kernels });
      const end = messages[messages.length - 1];
      expect(end.type).toBe('end');
      if (end.type !== 'end') return;
      expect(end.status).toBe('finished');
      const m =
        /^stopped early at iteration (\d+) \(patience 2, on the validation loss\); restored the weights of iteration (\d+)$/.exec(
          end.message,
        );
      expect(m, end.message).not.toBeNull();
      const stopIter = Number(m![1]);
      const bestIter = Number(m![2]);
      const totalIters = 4 * 200; // 20 examples / BS 5 = 4 iterations per epoch
      expect(stopIter).toBeLessThan(totalIters);
      expect(end.iter).toBe(stopIter);
      expect(end.stoppedAt).toBe(stopIter);
      expect(end.bestIter).toBe(bestIter);

      const points = messages.flatMap((x) => (x.type === 'eval' ? [x.point] : []));
      const last = points[points.length - 1];
      const before = points.slice(0, -1);
      // The regular evaluations: the lowest validation loss (first on ties) is at bestIter, and exactly P = 2
      // evaluations without improvement followed.
      const best = before.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
      expect(best.iter).toBe(bestIter);
      expect(before[before.length - 1].iter).toBe(stopIter);
      expect(before.filter((p) => p.iter > bestIter).length).toBe(2);
      // The extra evaluation of the restored weights: at the stop iteration, with the best point's validation and
      // test numbers (the same weights).
      expect(last.iter).toBe(stopIter);
      expect(Math.abs(last.valLoss! - best.valLoss!)).toBeLessThan(1e-6 * Math.max(1, best.valLoss!));
      expect(last.valAcc).toBeCloseTo(best.valAcc!, 6);
      expect(Math.abs(last.testLoss - best.testLoss)).toBeLessThan(1e-6 * Math.max(1, best.testLoss));
      expect(last.testAcc).toBeCloseTo(best.testAcc, 6);
      expect(last.valLoss!).toBeLessThan(before[before.length - 1].valLoss!);
      // Each evaluation is followed by its weights; the last ones are the restored weights.
      const weights = messages.filter((x) => x.type === 'weights');
      expect(weights.length).toBe(points.length);
    });
  }
});
