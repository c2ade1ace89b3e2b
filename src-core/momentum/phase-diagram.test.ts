import { describe, expect, it } from 'vitest';
import { PhaseDiagramRequestSchema } from '../contracts/sim-config';
import { phaseDiagram } from './phase-diagram';
import { quadraticTheory } from './theory/quadratic';

describe('the phase diagram', () => {
  const req = PhaseDiagramRequestSchema.parse({ hMin: 0.01, hMax: 5, dMin: 0, dMax: 1.5, nh: 60, nd: 50, steps: 500 });
  const pd = phaseDiagram(req);

  it('marks a cell diverged exactly where the theory says rho > 1 (away from the edge)', () => {
    let checked = 0;
    for (let j = 0; j < req.nd; j++) {
      for (let i = 0; i < req.nh; i++) {
        const rho = quadraticTheory(pd.h[i], pd.d[j], 1).rho;
        const k = j * req.nh + i;
        if (rho > 1.02) {
          expect(pd.diverged[k], `h ${pd.h[i]} d ${pd.d[j]}`).toBe(1);
          expect(pd.stepsToTol[k]).toBe(-1);
          checked++;
        } else if (rho < 0.98) {
          expect(pd.diverged[k], `h ${pd.h[i]} d ${pd.d[j]}`).toBe(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0.8 * req.nh * req.nd);
  });

  it('every cell with d > 1 is diverged', () => {
    for (let j = 0; j < req.nd; j++) {
      if (pd.d[j] <= 1.02) continue;
      for (let i = 0; i < req.nh; i++) expect(pd.diverged[j * req.nh + i]).toBe(1);
    }
  });

  it('the measured rate tracks rho where the run neither underflows nor explodes', () => {
    let n = 0;
    for (let j = 0; j < req.nd; j++) {
      for (let i = 0; i < req.nh; i++) {
        const th = quadraticTheory(pd.h[i], pd.d[j], 1);
        if (th.rho < 0.3 || th.rho > 1.05 || th.regime === 'critically-damped') continue;
        expect(Math.abs(pd.rate[j * req.nh + i] - th.rho), `h ${pd.h[i]} d ${pd.d[j]}`).toBeLessThan(0.02);
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('steps to tolerance is the last time |x_t| was above tol, plus one', () => {
    const small = phaseDiagram(
      PhaseDiagramRequestSchema.parse({ hMin: 0.5, hMax: 1, dMin: 0, dMax: 0.5, nh: 2, nd: 2, steps: 200, tol: 1e-3 }),
    );
    // h = 0.5, d = 0: x_t = 0.5^t, first t with 0.5^t <= 1e-3 is 10
    expect(small.stepsToTol[0]).toBe(10);
    // h = 1, d = 0: x_1 = 0
    expect(small.stepsToTol[1]).toBe(1);
  });

  it('rejects a grid that is too large or upside down', () => {
    expect(
      PhaseDiagramRequestSchema.safeParse({ hMin: 1, hMax: 0.5, dMin: 0, dMax: 1, nh: 10, nd: 10, steps: 10 }).success,
    ).toBe(false);
    expect(
      PhaseDiagramRequestSchema.safeParse({
        hMin: 0,
        hMax: 1,
        hScale: 'log',
        dMin: 0,
        dMax: 1,
        nh: 10,
        nd: 10,
        steps: 10,
      }).success,
    ).toBe(false);
    expect(
      PhaseDiagramRequestSchema.safeParse({ hMin: 0, hMax: 1, dMin: 0, dMax: 1, nh: 2048, nd: 2048, steps: 100_000 })
        .success,
    ).toBe(false);
  });
});
