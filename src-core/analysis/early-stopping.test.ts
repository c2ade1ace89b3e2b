import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../contracts/train-protocol';
import { createRng } from '../rng';
import { argminFinite, earlyStop, findPlateaus } from './early-stopping';
import { earlyStopSummary } from './sentence';

describe('early stopping on synthetic curves', () => {
  it('a clean minimum: stops P evaluations after it and keeps it', () => {
    const v = [0.5, 0.4, 0.3, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
    expect(earlyStop(v, { patience: 3, tolerance: 0 })).toEqual({
      minIndex: 3,
      stopIndex: 6,
      reason: 'patience',
      keptIndex: 3,
    });
    // A patience longer than what is left never triggers.
    expect(earlyStop(v, { patience: 6, tolerance: 0 })).toEqual({
      minIndex: 3,
      stopIndex: null,
      reason: null,
      keptIndex: 3,
    });
  });

  it('a flat plateau stops P evaluations after it begins, and is found as a plateau', () => {
    const v = [0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
    expect(earlyStop(v, { patience: 2, tolerance: 0 })).toMatchObject({ minIndex: 1, stopIndex: 3, keptIndex: 1 });
    expect(findPlateaus(v, { patience: 2, tolerance: 0 })).toEqual([{ from: 1, to: 5 }]);
    expect(findPlateaus(v, { patience: 5, tolerance: 0 })).toEqual([]);
  });

  it('a slow creep counts as a plateau only within the tolerance', () => {
    const v = [0.5, 0.3, 0.299, 0.298, 0.297, 0.296];
    expect(earlyStop(v, { patience: 3, tolerance: 0.01 })).toMatchObject({ minIndex: 5, stopIndex: 4, keptIndex: 1 });
    expect(earlyStop(v, { patience: 3, tolerance: 0 })).toMatchObject({ minIndex: 5, stopIndex: null, keptIndex: 5 });
  });

  it('noise below the tolerance after a clear descent: stops P after the descent ends, whatever the noise', () => {
    const rng = createRng(7);
    const descent = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
    const noise = Array.from({ length: 30 }, () => 0.1 + (rng.nextFloat() - 0.5) * 0.008);
    const v = [...descent, ...noise];
    const res = earlyStop(v, { patience: 5, tolerance: 0.01 });
    expect(res.keptIndex).toBe(9);
    expect(res.stopIndex).toBe(14);
    // The minimum itself is somewhere in the noise (the rule keeps the last clear improvement).
    expect(res.minIndex).toBe(argminFinite(v));
    expect(res.minIndex).toBeGreaterThanOrEqual(9);
    // Without a tolerance the noise resets the patience now and then, so it stops later (or never).
    const strict = earlyStop(v, { patience: 5, tolerance: 0 });
    expect(strict.stopIndex === null || strict.stopIndex > 14).toBe(true);
  });

  it('a diverging curve stops at the first NaN or Infinity and keeps the best finite point before it', () => {
    expect(earlyStop([0.5, 0.4, 0.45, NaN, NaN], { patience: 10, tolerance: 0 })).toEqual({
      minIndex: 1,
      stopIndex: 3,
      reason: 'non-finite',
      keptIndex: 1,
    });
    expect(earlyStop([0.9, 0.8, 2, 40, Infinity], { patience: 10, tolerance: 0 })).toEqual({
      minIndex: 1,
      stopIndex: 4,
      reason: 'non-finite',
      keptIndex: 1,
    });
    expect(earlyStop([NaN, 0.5], { patience: 1, tolerance: 0 })).toEqual({
      minIndex: 1,
      stopIndex: 0,
      reason: 'non-finite',
      keptIndex: -1,
    });
    expect(findPlateaus([0.5, 0.5, 0.5, Infinity, 0.5, 0.5], { patience: 2, tolerance: 0 })).toEqual([
      { from: 0, to: 2 },
    ]);
  });

  it('rejects a patience below 1 and a negative tolerance', () => {
    expect(() => earlyStop([1], { patience: 0, tolerance: 0 })).toThrow(RangeError);
    expect(() => earlyStop([1], { patience: 1, tolerance: -1 })).toThrow(RangeError);
    expect(() => findPlateaus([1], { patience: 1.5, tolerance: 0 })).toThrow(RangeError);
  });
});

// A point whose validation loss is given (and test accuracy 1 - loss / 10, to read back in the sentence).
const point = (iter: number, valLoss: number | undefined): EvalPoint => ({
  iter,
  epoch: iter / 100,
  examples: iter * 32,
  trainLoss: 0,
  trainAcc: 0,
  testLoss: 0,
  testAcc: valLoss === undefined ? 0.5 : 1 - valLoss / 10,
  elapsedMs: 0,
  ...(valLoss === undefined ? {} : { valLoss, valAcc: 0.5 }),
});

describe('the early-stopping sentence (on the validation loss)', () => {
  it('names the stop, the restored iteration, its validation loss and the test accuracy there', () => {
    const losses = [1.0, 0.6, 0.5, 0.52, 0.55, 0.58, 0.6, 0.7];
    const s = earlyStopSummary(
      losses.map((a, i) => point((i + 1) * 100, a)),
      3,
    );
    expect(s.monitored).not.toBeNull();
    if (s.monitored === null) return;
    expect((s as { stopIndex: number | null }).stopIndex).toBe(5);
    expect(s.sentence).toBe(
      'Early stopping with patience 3 on the validation loss stops at iteration 600, restoring the weights of iteration 300 (validation loss 0.5000, test accuracy there 95.00\u00a0%), against 93.00\u00a0% test accuracy at the end.',
    );
  });

  it('says when the rule does not stop, and names the lowest validation loss', () => {
    const s = earlyStopSummary(
      [0.5, 0.4, 0.3].map((a, i) => point(i + 1, a)),
      2,
    );
    expect(s.sentence).toMatch(
      /^Early stopping with patience 2 on the validation loss does not stop before the end: the last improvement came at the last evaluation, fewer than 2; it ended at 0\.3000\./,
    );
    const worse = earlyStopSummary(
      [0.5, 0.6].map((a, i) => point(i + 1, a)),
      5,
    );
    expect(worse.sentence).toContain(
      'came 1 evaluation before the end, fewer than 5; it ended at 0.6000. The lowest validation loss was 0.5000 at iteration 1 (test accuracy there 95.00\u00a0%).',
    );
  });

  it('says when the run diverged', () => {
    const s = earlyStopSummary(
      [0.5, 0.6, NaN].map((a, i) => point((i + 1) * 10, a)),
      5,
    );
    expect(s.sentence).toContain(
      'stops at iteration 30 (the run diverged there), restoring the weights of iteration 10',
    );
  });

  it('chooses nothing for a run without a validation set (it would have to choose on the test set)', () => {
    const s = earlyStopSummary(
      [undefined, undefined].map((a, i) => point(i + 1, a)),
      2,
    );
    expect(s.monitored).toBeNull();
    expect(s.sentence).toMatch(/^This run has no validation set, so no stopping point is chosen/);
  });
});
