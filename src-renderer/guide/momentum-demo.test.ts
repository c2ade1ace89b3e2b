import { describe, expect, it } from 'vitest';
import { quadratic1d } from '../../src-core/momentum/objectives/one-d';
import { simulateRun } from '../../src-core/momentum/simulate';
import { GUIDE_STEPS } from './guide-steps';
import { GUIDE_EXAMPLE, heavyBallTrajectory } from './momentum-demo';

describe("the guide's momentum illustration", () => {
  it('takes the first steps by hand: x1 = x0 - lr*lambda*x0, then momentum adds d*v', () => {
    const xs = heavyBallTrajectory(0.5, 0.5, 1, 1, 2);
    expect(xs[1]).toBeCloseTo(0.5, 12); // v1 = -0.5
    expect(xs[2]).toBeCloseTo(0.5 + (0.5 * -0.5 - 0.5 * 0.5), 12); // v2 = -0.5
  });
  it('converges for d = 0.5 and grows without bound for d = 1.05', () => {
    const good = heavyBallTrajectory(0.5, 0.5, 1, 1, 60);
    const bad = heavyBallTrajectory(1.05, 0.5, 1, 1, 200);
    expect(Math.abs(good[60])).toBeLessThan(1e-6);
    expect(Math.max(...bad.slice(150).map(Math.abs))).toBeGreaterThan(10);
  });
  it('refuses a non-integer number of steps', () => {
    expect(() => heavyBallTrajectory(0.5, 0.5, 1, 1, 2.5)).toThrow(RangeError);
  });
  it("the guide's text and the simulator's status agree at the view's default steps (issue 17, item 10)", () => {
    const ex = GUIDE_EXAMPLE;
    const text = GUIDE_STEPS.find((s) => s.id === 'momentum')!
      .body.join(' ')
      .replace(/\$/g, ''); // the formulas' $ marks (math-text.ts) are not shown
    expect(text).toContain(`lr = ${ex.lr}`);
    expect(text).toContain(`grows without bound for d = ${ex.grows}`);
    const opt = (d: number) => ({ kind: 'heavy-ball' as const, lr: ex.lr, d, beta2: 0.999, eps: 1e-8 });
    expect(simulateRun(quadratic1d(ex.lambda), opt(ex.grows), [ex.x0], ex.steps).status).toBe('diverged');
    expect(simulateRun(quadratic1d(ex.lambda), opt(ex.shrinks), [ex.x0], ex.steps).status).toBe('converged');
  });
});
