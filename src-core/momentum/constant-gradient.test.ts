import { describe, expect, it } from 'vitest';
import { linear1d } from './objectives/one-d';
import { simulateRun } from './simulate';
import { hb } from './test-helpers';
import { constantGradientTheory, constantGradientVelocity, measuredStepFactor } from './theory/constant-gradient';

describe('heavy-ball under a constant gradient', () => {
  it('the velocity tends to the terminal velocity -lr*g/(1-d)', () => {
    for (const [lr, d, g] of [
      [0.1, 0.9, 1],
      [0.01, 0.99, -3],
      [0.5, 0.5, 2],
      [1, 0, 0.25],
    ] as const) {
      const run = simulateRun(linear1d(g), hb(lr, d), [0], 6000);
      const th = constantGradientTheory(lr, d, [g]);
      const vEnd = run.vx[run.length - 1];
      expect(th.terminalVelocity![0]).toBeCloseTo((-lr * g) / (1 - d), 14);
      expect(Math.abs(vEnd - th.terminalVelocity![0]) / Math.abs(th.terminalVelocity![0])).toBeLessThan(1e-9);
      // effective step lr/(1 - d): |x_{t+1} - x_t| -> lr*|g|/(1 - d)
      expect(run.stepSize[run.stepSize.length - 1]).toBeCloseTo(th.effectiveStep! * Math.abs(g), 9);
      expect(run.constant).not.toBeNull();
    }
  });

  it('follows v_t = -lr*g*(1 - d^t)/(1 - d) at every step', () => {
    const lr = 0.1,
      d = 0.8,
      g = 1.5;
    const run = simulateRun(linear1d(g), hb(lr, d), [0], 100);
    for (let t = 0; t <= 100; t++) {
      expect(run.vx[t]).toBeCloseTo(constantGradientVelocity(lr, d, g, t), 12);
    }
    expect(run.flips[0]).toBe(0);
  });

  it('with d >= 1 the velocity grows without bound', () => {
    const one = simulateRun(linear1d(1), hb(0.1, 1), [0], 1000);
    expect(one.vx[1000]).toBeCloseTo(-0.1 * 1000, 9);
    expect(constantGradientTheory(0.1, 1, [1]).growth).toBe('linear');
    const more = simulateRun(linear1d(1), hb(0.1, 1.1), [0], 500);
    expect(Math.abs(more.vx[more.length - 1])).toBeGreaterThan(1e10);
    expect(more.status).toBe('diverged');
    expect(constantGradientTheory(0.1, 1.1, [1]).terminalVelocity).toBeNull();
  });
});

describe('the measured constant-gradient factor (issue 17, item 12)', () => {
  it('after 200 steps at d = 0.99 each step is (1 - 0.99^200)/(1 - 0.99) = 86.6x a plain step, not the limit 100x', () => {
    const r = simulateRun(linear1d(-3), hb(0.1, 0.99), [0], 200);
    expect(measuredStepFactor(r)).toBeCloseTo((1 - 0.99 ** 200) / 0.01, 9);
    expect(measuredStepFactor(r)).toBeCloseTo(86.6, 1);
    expect(r.constant!.explanation).toContain('-lr*g*(1 + d + d^2');
    expect(r.constant!.explanation).toContain('in the limit each step is 100x');
  });
});
