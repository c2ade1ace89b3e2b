import { describe, expect, it } from 'vitest';
import { quadratic2d } from './objectives/two-d';
import { simulateRun } from './simulate';
import { hb } from './test-helpers';
import { conditionedTheory } from './theory/conditioned';
import { quadraticTheory } from './theory/quadratic';

describe('an ill-conditioned 2-D quadratic', () => {
  it('the rate is the larger of the per-direction rates', () => {
    const th = conditionedTheory(0.05, 0.5, [10, 1], 1);
    expect(th.directions.map((x) => x.lambda)).toEqual([1, 10]);
    expect(th.rho).toBe(Math.max(quadraticTheory(0.05, 0.5, 1).rho, quadraticTheory(0.05, 0.5, 10).rho));
    expect(th.kappa).toBe(10);
  });

  it("Polyak's optimal lr and d give rho = (sqrt(k) - 1)/(sqrt(k) + 1), and the run measures it", () => {
    for (const [l1, l2, angle] of [
      [1, 100, 0],
      [0.5, 8, 35],
      [1, 10, -60],
    ]) {
      const th = conditionedTheory(1, 0.5, [l1, l2], 1);
      const { lr, d, rho } = th.optimal;
      const sk = Math.sqrt(l2 / l1);
      expect(rho).toBeCloseTo((sk - 1) / (sk + 1), 14);
      const atOpt = conditionedTheory(lr, d, [l1, l2], 1);
      expect(atOpt.rho).toBeCloseTo(rho, 6);
      // any other setting is no faster
      for (const f of [0.8, 1.2]) {
        expect(conditionedTheory(lr * f, d, [l1, l2], 1).rho).toBeGreaterThanOrEqual(rho - 1e-9);
        expect(conditionedTheory(lr, Math.min(d * f, 0.999), [l1, l2], 1).rho).toBeGreaterThanOrEqual(rho - 1e-9);
      }
      const run = simulateRun(quadratic2d(l1, l2, angle), hb(lr, d), [-2, 1], 400);
      expect(run.rate!).toBeGreaterThan(rho - 0.01);
      expect(run.rate!).toBeLessThan(rho + 0.02);
    }
  });

  it('the measured rate approaches the predicted rho', () => {
    for (const [lr, d] of [
      [0.05, 0.9],
      [0.15, 0.3],
      [0.01, 0.5],
    ]) {
      const run = simulateRun(quadratic2d(1, 10, 20), hb(lr, d), [-2, 1], 1500);
      expect(run.theory).not.toBeNull();
      const rho = run.theory!.rho;
      expect(Math.abs(run.rate! - rho), `lr ${lr} d ${d}`).toBeLessThan(0.01);
    }
  });
});
