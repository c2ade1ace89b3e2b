import { describe, expect, it } from 'vitest';
import { OBJECTIVE_SPECS, ObjectiveRefSchema } from '../../contracts/sim-config';
import { makeObjective } from '../objectives/make-objective';
import { localCurvatures } from './local-curvature';

// Issue 17, item 9: local curvature for the phase-diagram marker.

describe('local curvature', () => {
  it("every objective's Hessian matches central differences of its gradient", () => {
    const g1 = new Float64Array(2);
    const g2 = new Float64Array(2);
    const H = new Float64Array(3);
    for (const spec of OBJECTIVE_SPECS) {
      const obj = makeObjective(ObjectiveRefSchema.parse({ name: spec.name }));
      for (const [x, y] of [
        [-1.3, 0.7],
        [0.4, -2.1],
        [0.2, 0.3],
      ]) {
        obj.hessian(x, y, H);
        const e = 1e-5;
        obj.grad(x + e, y, g1);
        obj.grad(x - e, y, g2);
        const hxx = (g1[0] - g2[0]) / (2 * e);
        expect(Math.abs(H[0] - hxx), `${spec.name} f_xx at ${x},${y}`).toBeLessThan(1e-4 * (1 + Math.abs(hxx)));
        if (spec.dim === 2) {
          const hxy = (g1[1] - g2[1]) / (2 * e);
          obj.grad(x, y + e, g1);
          obj.grad(x, y - e, g2);
          const hyy = (g1[1] - g2[1]) / (2 * e);
          expect(Math.abs(H[1] - hxy), `${spec.name} f_xy`).toBeLessThan(1e-4 * (1 + Math.abs(hxy)));
          expect(Math.abs(H[2] - hyy), `${spec.name} f_yy`).toBeLessThan(1e-4 * (1 + Math.abs(hyy)));
        }
      }
    }
  });

  it("plateau (w 0.5, slope 0.01) at its minimum: f'' = 1/w^2 + slope = 4.01, so lr 0.5 sits at h = 2.005, past plain GD's edge 2", () => {
    const obj = makeObjective(ObjectiveRefSchema.parse({ name: 'plateau' }));
    const [lam] = localCurvatures(obj, 0, 0);
    expect(lam).toBeCloseTo(4.01, 12);
    expect(0.5 * lam).toBeCloseTo(2.005, 12);
  });

  it('Rosenbrock at (1, 1): eigenvalues of [[802, -400], [-400, 200]] = 501 -+ sqrt(301^2 + 400^2)', () => {
    const obj = makeObjective(ObjectiveRefSchema.parse({ name: 'rosenbrock' }));
    const [lo, hi] = localCurvatures(obj, 1, 1);
    const r = Math.sqrt(301 ** 2 + 400 ** 2);
    expect(lo).toBeCloseTo(501 - r, 9);
    expect(hi).toBeCloseTo(501 + r, 9);
    // lr 0.05 puts the stiff direction at h = 50: far past the edge 2(1 + d) = 3.8 at d 0.9 (it diverges at step 5)
    expect(0.05 * hi).toBeGreaterThan(3.8);
  });

  it('the saddle has negative curvature along y at its start', () => {
    const obj = makeObjective(ObjectiveRefSchema.parse({ name: 'saddle' }));
    const [lo, hi] = localCurvatures(obj, 1.5, 0.01);
    expect(lo).toBeCloseTo(3 * 0.01 ** 2 - 1, 12);
    expect(hi).toBeCloseTo(1, 12);
  });
});
