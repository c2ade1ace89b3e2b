import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quadratic1d } from './objectives/one-d';
import { simulateRun } from './simulate';
import { closedFormState, hb } from './test-helpers';

const STEPS = 240;

function maxRelativeError(lambda: number, lr: number, d: number, x0: number): { err: number; length: number } {
  const run = simulateRun(quadratic1d(lambda), hb(lr, d), [x0], STEPS);
  const h = lr * lambda;
  let err = 0;
  for (let t = 0; t < run.length; t++) {
    const [v, x] = closedFormState(h, d, 0, x0, t);
    const scale = Math.hypot(v, x);
    const e = Math.hypot(run.vx[t] - v, run.x[t] - x) / scale;
    if (e > err) err = e;
  }
  return { err, length: run.length };
}

describe('heavy-ball on lambda*x^2/2', () => {
  it('equals the closed form M^t (v0, x0) within 1e-9 relative for 240 steps, over many (lambda, lr, d)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 2, noNaN: true }), // log10 lambda
        fc.double({ min: 1e-4, max: 1, noNaN: true }), // fraction of 2(1+d) + 1.5
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (logLambda, frac, d, x0) => {
          const lambda = 10 ** logLambda;
          const h = frac * (2 * (1 + d) + 1.5); // reaches past the stability edge 2(1+d)
          const { err, length } = maxRelativeError(lambda, h / lambda, d, x0);
          expect(length).toBe(STEPS + 1);
          expect(err).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 300, seed: 20261128 },
    );
  });

  it('matches the closed form on named hard cases: d > 1, lr*lambda past 2(1+d), critical damping, d = 1', () => {
    const cases: [number, number, number][] = [
      [1, 1e-4, 1.1],
      [1, 0.1, 1.5],
      [2, 1.55, 0.5],
      [1, 4.5, 1.2],
      [1, 0.25, 0.25],
      [10, 0.01, 1],
      [1, 1, 0],
      [0.5, 8.5, 1.4],
    ];
    for (const [lambda, lr, d] of cases) {
      const { err, length } = maxRelativeError(lambda, lr, d, 1);
      expect(length, `lambda ${lambda} lr ${lr} d ${d}`).toBe(STEPS + 1);
      expect(err, `lambda ${lambda} lr ${lr} d ${d}`).toBeLessThan(1e-9);
    }
  });
});
