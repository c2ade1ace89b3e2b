import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autoEvalEvery,
  autoEvalEveryFor,
  evaluationsOf,
  iterationsOf,
  roundToOneTwoFive,
  trainImagesOf,
} from './eval-interval';

describe('autoEvalEvery: the default evaluation interval', () => {
  it("keeps MNIST's defaults at 200 (the benchmarks' W: 60,000 images, BS 32, 4 epochs = 7,500 iterations, 38 evaluations)", () => {
    expect(autoEvalEveryFor({ perClass: null, validation: 0, batchSize: 32, epochs: 4 }, 60_000)).toBe(200);
    expect(evaluationsOf(7500, 200)).toBe(38);
    // With the default 5,000 validation images: 55,000 images, 6,876 iterations.
    expect(autoEvalEveryFor({ perClass: null, validation: 5000, batchSize: 32, epochs: 4 }, 60_000)).toBe(200);
  });

  it('gives the small training sets of the assignment a curve, not a dot', () => {
    // 10 images (1 per class), BS 32: one iteration an epoch -> every iteration, 4 evaluations.
    const tiny = autoEvalEveryFor({ perClass: 1, validation: 5000, batchSize: 32, epochs: 4 }, 60_000);
    expect(tiny).toBe(1);
    expect(evaluationsOf(4, tiny)).toBe(4);
    // 1,000 images: 32 iterations an epoch, 128 in all -> every 5 (26 evaluations), as against 1 with 200.
    const small = autoEvalEveryFor({ perClass: 100, validation: 5000, batchSize: 32, epochs: 4 }, 60_000);
    expect(small).toBe(5);
    expect(evaluationsOf(128, small)).toBe(26);
    expect(evaluationsOf(128, 200)).toBe(1);
  });

  it('counts images and iterations as the trainer does', () => {
    expect(trainImagesOf({ perClass: 100, validation: 5000 }, 60_000)).toBe(1000);
    expect(trainImagesOf({ perClass: null, validation: 5000 }, 60_000)).toBe(55_000);
    expect(iterationsOf(55_000, 32, 4)).toEqual({ perEpoch: 1719, total: 6876 });
    expect(iterationsOf(10, 32, 4)).toEqual({ perEpoch: 1, total: 4 });
  });

  it('rounds to 1-2-5 on a log scale', () => {
    expect([0.1, 1, 1.4, 1.5, 3.1, 3.2, 7, 7.1, 172, 187.5, 320].map(roundToOneTwoFive)).toEqual([
      1, 1, 1, 2, 2, 5, 5, 10, 200, 200, 500,
    ]);
  });

  it('property: at least one evaluation every epoch, 16 to 100 evaluations when the run has 16 epochs-worth of room, and an integer >= 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 50 }),
        (n, bs, epochs) => {
          const run = iterationsOf(n, bs, epochs);
          const k = autoEvalEvery(run);
          expect(Number.isInteger(k) && k >= 1).toBe(true);
          expect(k).toBeLessThanOrEqual(run.perEpoch);
          const evals = evaluationsOf(run.total, k);
          expect(evals).toBeGreaterThanOrEqual(Math.min(run.total, epochs, 16));
          if (k > 1 && k < run.perEpoch) expect(evals).toBeLessThanOrEqual(101);
        },
      ),
    );
  });
});
