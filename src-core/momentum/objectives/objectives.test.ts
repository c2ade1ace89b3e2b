import { describe, expect, it } from 'vitest';
import { OBJECTIVE_SPECS, ObjectiveRefSchema } from '../../contracts/sim-config';
import { makeObjective } from './make-objective';

const points = [
  [-1.3, 0.7],
  [0.4, -2.1],
  [2.2, 1.9],
  [-0.05, 0.3],
];

describe('objectives', () => {
  it('every listed objective has a gradient that matches central differences', () => {
    for (const spec of OBJECTIVE_SPECS) {
      const obj = makeObjective(ObjectiveRefSchema.parse({ name: spec.name }));
      expect(obj.dim).toBe(spec.dim);
      const g = new Float64Array(2);
      for (const [x, y] of points) {
        obj.grad(x, y, g);
        const e = 1e-6;
        const gx = (obj.value(x + e, y) - obj.value(x - e, y)) / (2 * e);
        expect(Math.abs(g[0] - gx), `${spec.name} d/dx at ${x},${y}`).toBeLessThan(1e-5 * (1 + Math.abs(gx)));
        if (spec.dim === 2) {
          const gy = (obj.value(x, y + e) - obj.value(x, y - e)) / (2 * e);
          expect(Math.abs(g[1] - gy), `${spec.name} d/dy at ${x},${y}`).toBeLessThan(1e-5 * (1 + Math.abs(gy)));
        }
      }
    }
  });

  it('known minimizers have zero gradient and quadratics report their Hessian eigenvalues', () => {
    const g = new Float64Array(2);
    for (const spec of OBJECTIVE_SPECS) {
      const obj = makeObjective(ObjectiveRefSchema.parse({ name: spec.name }));
      if (obj.minimizer) {
        obj.grad(obj.minimizer[0], obj.minimizer[1] ?? 0, g);
        expect(Math.abs(g[0]) + (spec.dim > 1 ? Math.abs(g[1]) : 0), spec.name).toBeLessThan(1e-12);
      }
      expect(obj.curvatures !== null, spec.name).toBe(spec.quadratic);
    }
  });

  it('the rotated quadratic has eigenvalues lambda1, lambda2 along the rotated axes', () => {
    const obj = makeObjective(
      ObjectiveRefSchema.parse({ name: 'quadratic-2d', params: { lambda1: 1, lambda2: 25, angle: 30 } }),
    );
    const c = Math.cos(Math.PI / 6),
      s = Math.sin(Math.PI / 6);
    const g = new Float64Array(2);
    obj.grad(-s, c, g); // the second axis: gradient = 25 * axis
    expect(g[0]).toBeCloseTo(-25 * s, 12);
    expect(g[1]).toBeCloseTo(25 * c, 12);
  });

  it('log-cosh is |x|-like: its value stays finite far out and its slope tends to 1', () => {
    const obj = makeObjective(ObjectiveRefSchema.parse({ name: 'log-cosh' }));
    expect(obj.value(1e6, 0)).toBeCloseTo(1e6 - 0.1 * Math.log(2), 6);
    const g = new Float64Array(2);
    obj.grad(5, 0, g);
    expect(g[0]).toBeCloseTo(1, 12);
  });
});
