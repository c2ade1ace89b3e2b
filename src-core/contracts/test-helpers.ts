import { expect } from 'vitest';
import { LabError } from './lab-error';
import type { EvalPoint } from './train-protocol';

// Evaluation points for the tests that read a few fields of a curve.

/** A point at iteration `iter` (100 iterations an epoch, batches of 32, elapsed 1 ms an iteration) with loss 1 and
 * accuracy 0.5 everywhere; `over` sets the fields the test reads. */
export function evalPoint(iter: number, over: Partial<EvalPoint> = {}): EvalPoint {
  return {
    iter,
    epoch: iter / 100,
    examples: iter * 32,
    trainLoss: 1,
    trainAcc: 0.5,
    testLoss: 1,
    testAcc: 0.5,
    elapsedMs: iter,
    ...over,
  };
}

/** The LabError `run` throws, for the test to check its code and message; the test fails if `run` returns or throws
 * anything else. */
export function thrownLabError(run: () => unknown): LabError {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(LabError);
  return err as LabError;
}
