import { describe, expect, it } from 'vitest';
import { quadratic1d } from './objectives/one-d';
import { rosenbrock } from './objectives/two-d';
import { DIVERGENCE_BOUND, simulateRun } from './simulate';
import { hb, opt } from './test-helpers';

const allFinite = (a: ArrayLike<number>) => Array.from(a).every(Number.isFinite);

describe('non-finite values stop a trajectory', () => {
  it('a run past the bound stops, says at which step, and keeps only finite points', () => {
    const run = simulateRun(quadratic1d(1), hb(10, 0.9), [1], 10_000);
    expect(run.status).toBe('diverged');
    expect(run.stoppedAt).not.toBeNull();
    expect(run.length).toBe(run.stoppedAt);
    expect(run.x.length).toBe(run.length);
    expect(run.stepSize.length).toBe(run.length - 1);
    expect(run.message).toMatch(new RegExp(`diverged at step ${run.stoppedAt}`));
    expect(allFinite(run.x) && allFinite(run.vx) && allFinite(run.f) && allFinite(run.stepSize)).toBe(true);
    expect(Math.max(...Array.from(run.x, Math.abs))).toBeLessThanOrEqual(DIVERGENCE_BOUND);
  });

  it('an overflowing value (Rosenbrock with a huge step) stops the run before it is recorded', () => {
    const run = simulateRun(rosenbrock(1, 100), opt('gd', 0.05, 0), [-1.2, 1], 1000);
    expect(run.status).toBe('diverged');
    expect(run.stoppedAt).toBeGreaterThan(0);
    expect(run.stoppedAt).toBeLessThan(100);
    expect(allFinite(run.x) && allFinite(run.y!) && allFinite(run.f)).toBe(true);
    expect(run.y!.length).toBe(run.length);
  });

  it('a run that stays finite is not stopped', () => {
    const run = simulateRun(quadratic1d(1), hb(0.1, 0.5), [1], 300);
    expect(run.stoppedAt).toBeNull();
    expect(run.length).toBe(301);
    expect(run.status).toBe('converged');
  });
});
