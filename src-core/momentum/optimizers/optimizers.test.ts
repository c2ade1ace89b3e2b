import { describe, expect, it } from 'vitest';
import { quadratic1d } from '../objectives/one-d';
import { quadratic2d } from '../objectives/two-d';
import { simulateRun } from '../simulate';
import { opt } from '../test-helpers';

describe('optimizers', () => {
  it('heavy-ball with d = 0 is gradient descent', () => {
    const a = simulateRun(quadratic2d(1, 10, 30), opt('gd', 0.05, 0.9), [-2, 1], 100);
    const b = simulateRun(quadratic2d(1, 10, 30), opt('heavy-ball', 0.05, 0), [-2, 1], 100);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y!)).toEqual(Array.from(b.y!));
  });

  it('Nesterov takes the gradient at the look-ahead point x + d*v', () => {
    const lambda = 2,
      lr = 0.1,
      d = 0.9;
    const run = simulateRun(quadratic1d(lambda), opt('nesterov', lr, d), [1], 3);
    let x = 1,
      v = 0;
    for (let t = 1; t <= 3; t++) {
      v = d * v - lr * lambda * (x + d * v);
      x = x + v;
      expect(run.x[t]).toBeCloseTo(x, 14);
    }
  });

  it("Adam's first step is lr against the sign of the gradient (bias correction)", () => {
    const run = simulateRun(quadratic1d(5), opt('adam', 0.01, 0.9), [3], 2);
    expect(run.x[1]).toBeCloseTo(3 - 0.01, 6);
  });

  it('Adam rejects beta1 = d >= 1', () => {
    expect(() => simulateRun(quadratic1d(1), opt('adam', 0.01, 1), [1], 2)).toThrow(/d \(beta1\) < 1/);
  });
});
