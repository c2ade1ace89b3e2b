import { describe, expect, it } from 'vitest';
import { quadratic1d } from '../objectives/one-d';
import { booth, quadratic2d } from '../objectives/two-d';
import { simulateRun } from '../simulate';
import { hb } from '../test-helpers';
import { conditionedTheory } from './conditioned';
import { quadraticTheory } from './quadratic';

// Issue 17, items 3, 4, 6, 7, 10: what the theory and the status say at the edges.

describe('the stability edge h = 2(1 + d) (item 3)', () => {
  it('lr 3.8, d 0.9: roots -1 and -0.9, the amplitude settles at 19 and the panel says it neither grows nor dies out', () => {
    // e_t = a(-1)^t + b(-0.9)^t, a + b = 1, -a - 0.9b = 1 - 3.8  =>  a = 19
    const th = quadraticTheory(3.8, 0.9, 1);
    expect(th.rho).toBeCloseTo(1, 12);
    expect(th.explanation).toContain('neither grows nor dies out');
    expect(th.explanation).not.toContain('overshoots');
    const r = simulateRun(quadratic1d(1), hb(3.8, 0.9), [1], 200);
    expect(Math.abs(r.x[200])).toBeCloseTo(19, 6);
    expect(r.status).toBe('running');
  });
  it('keeps the overshoot sentence beyond the edge', () => {
    expect(quadraticTheory(3.9, 0.9, 1).explanation).toContain('every step overshoots by more than the last');
  });
});

describe('a repeated root on the unit circle (item 4)', () => {
  it('d = 1, h = 4: |x_t| = 2t + 1; theory says unstable (polynomial growth) and the status is not "running"', () => {
    const th = quadraticTheory(4, 1, 1);
    expect(th.regime).toBe('diverging');
    expect(th.explanation).toMatch(/polynomial growth/);
    expect(th.explanation).not.toMatch(/never dies out/);
    const r = simulateRun(quadratic1d(1), hb(4, 1), [1], 200);
    for (const t of [0, 1, 7, 200]) expect(Math.abs(r.x[t])).toBe(2 * t + 1);
    expect(r.status).toBe('diverged');
  });
  it('d = 1 with complex roots (h < 4) stays bounded and running', () => {
    const r = simulateRun(quadratic1d(1), hb(0.1, 1), [1], 400);
    expect(quadraticTheory(0.1, 1, 1).regime).toBe('undamped');
    expect(r.status).toBe('running');
  });
});

describe('2-D: the direction named is what it is (item 6)', () => {
  it('names the diverging direction', () => {
    // h = 0.15*30 = 4.5 > 2(1 + 0.5): the stiff direction diverges
    const th = conditionedTheory(0.15, 0.5, [1, 30], 1);
    expect(th.dominantRole).toBe('diverging');
    expect(th.explanation).toMatch(/^The diverging direction, lambda = 30/);
  });
  it('says both directions decay at sqrt(d) when both have complex roots', () => {
    // d* = (1 - sqrt(0.01))^2 = 0.81 and (1 - sqrt(0.1))^2 = 0.468 are both below 0.9
    const th = conditionedTheory(0.01, 0.9, [1, 10], 1);
    expect(th.dominantRole).toBe('tie');
    expect(th.explanation).toMatch(/^Both directions decay at rho = sqrt\(d\) = 0\.9487/);
  });
  it('names the direction that limits the rate otherwise (Booth, d 0.5: lambda = 2)', () => {
    const th = conditionedTheory(0.02, 0.5, [2, 18], 1);
    expect(th.dominantRole).toBe('limits');
    expect(th.explanation).toMatch(/^The direction that limits the rate, lambda = 2:/);
    expect(th.explanation).not.toMatch(/Slowest/);
  });
});

describe('the measured rate stops at the round-off floor around x* != 0 (item 7)', () => {
  it('Booth at d = 0.5 agrees with rho = 0.9114 however long the run', () => {
    // slowest direction lambda = 2, h = 0.04: rho = (1.46 + sqrt(1.46^2 - 2))/2
    const rho = (1.46 + Math.sqrt(1.46 ** 2 - 2)) / 2;
    expect(rho).toBeCloseTo(0.9114, 4);
    for (const steps of [200, 400, 700, 1000, 3000]) {
      const r = simulateRun(booth(), hb(0.02, 0.5), [-4, -4], steps);
      expect(r.rate!, `steps ${steps}`).toBeCloseTo(rho, 3);
    }
  });
  it('a rotated quadratic with x* = 0 still measures its rho', () => {
    const r = simulateRun(quadratic2d(1, 10, 30), hb(0.1, 0.5), [-2, 1], 300);
    expect(r.rate!).toBeCloseTo(Math.sqrt(0.5), 2);
  });
});

describe("the guide's example and the status agree (item 10)", () => {
  it('lr 0.5, d 1.05 at the default 200 steps reads diverged (rho = sqrt(1.05) > 1 and it grew)', () => {
    const r = simulateRun(quadratic1d(1), hb(0.5, 1.05), [1], 200);
    expect(r.status).toBe('diverged');
    expect(r.message).toMatch(/rho = 1\.025 > 1/);
  });
  it('theory alone does not make a run diverge: rho = 1.0001 over 200 steps grows too little to tell', () => {
    const d = 1.0002; // complex roots: rho = sqrt(d)
    const r = simulateRun(quadratic1d(1), hb(0.1, d), [1], 200);
    expect(r.status).toBe('running');
  });
});
