import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../contracts/train-protocol';
import { createRng } from '../rng';
import { argminFinite, earlyStop, findPlateaus } from './early-stopping';
import { earlyStopSummary } from './sentence';

describe('early stopping on synthetic curves', () => {
  it('a clean minimum: stops P evaluations after it and keeps it', () => {
    const v = [0.5, 0.4, 0.3, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
    expect(earlyStop(v, { patience: 3, tolerance: 0 })).toEqual({ minIndex: 3, stopIndex: 6, reason: 'patience', keptIndex: 3 });
    // A patience longer than what is left never triggers.
    expect(earlyStop(v, { patience: 6, tolerance: 0 })).toEqual({ minIndex: 3, stopIndex: null, reason: null, keptIndex: 3 });
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
    expect(earlyStop([0.5, 0.4, 0.45, NaN, NaN], { patience: 10, tolerance: 0 })).toEqual({ minIndex: 1, stopIndex: 3, reason: 'non-finite', keptIndex: 1 });
    expect(earlyStop([0.9, 0.8, 2, 40, Infinity], { patience: 10, tolerance: 0 })).toEqual({ minIndex: 1, stopIndex: 4, reason: 'non-finite', keptIndex: 1 });
    expect(earlyStop([NaN, 0.5], { patience: 1, tolerance: 0 })).toEqual({ minIndex: 1, stopIndex: 0, reason: 'non-finite', keptIndex: -1 });
    expect(findPlateaus([0.5, 0.5, 0.5, Infinity, 0.5, 0.5], { patience: 2, tolerance: 0 })).toEqual([{ from: 0, to: 2 }]);
  });

  it('rejects a patience below 1 and a negative tolerance', () => {
    expect(() => earlyStop([1], { patience: 0, tolerance: 0 })).toThrow(RangeError);
    expect(() => earlyStop([1], { patience: 1, tolerance: -1 })).toThrow(RangeError);
    expect(() => findPlateaus([1], { patience: 1.5, tolerance: 0 })).toThrow(RangeError);
  });
});

const point = (iter: number, testAcc: number): EvalPoint => ({ iter, epoch: iter / 100, examples: iter * 32, trainLoss: 0, trainAcc: 0, testLoss: 0, testAcc, elapsedMs: 0 });

describe('the early-stopping sentence', () => {
  it('names the iteration, the kept test error and the final one', () => {
    const accs = [0.5, 0.7, 0.8, 0.78, 0.77, 0.75, 0.74, 0.7];
    const s = earlyStopSummary(accs.map((a, i) => point((i + 1) * 100, a)), { patience: 3, tolerance: 0 });
    expect(s.stopIndex).toBe(5);
    expect(s.sentence).toBe('Early stopping with patience 3 would have stopped at iteration 600 with test error 20.00% (restoring the weights of iteration 300), against 30.00% at the end.');
  });

  it('says when the rule would not have stopped', () => {
    const s = earlyStopSummary([0.5, 0.6, 0.7].map((a, i) => point(i + 1, a)), { patience: 2, tolerance: 0 });
    expect(s.stopIndex).toBeNull();
    expect(s.sentence).toMatch(/^Early stopping with patience 2 would not have stopped before the end: the last improvement of the test error \(by more than 0\.00%\) came at the last evaluation, fewer than 2; it ended at 30\.00%\./);
    const worse = earlyStopSummary([0.5, 0.4].map((a, i) => point(i + 1, a)), { patience: 5, tolerance: 0 });
    expect(worse.sentence).toContain('came 1 evaluation before the end, fewer than 5; it ended at 60.00%. The lowest test error was 50.00% at iteration 1.');
  });

  it('says when the run diverged', () => {
    const s = earlyStopSummary([0.5, 0.6, NaN].map((a, i) => point((i + 1) * 10, a)), { patience: 5, tolerance: 0 });
    expect(s.sentence).toContain('would have stopped at iteration 30 (the run diverged there) with test error 40.00%');
  });
});
