import { describe, expect, it } from 'vitest';
import { ObjectiveRefSchema, type ObjectiveName } from '../../../src-core/contracts/sim-config';
import { makeObjective } from '../../../src-core/momentum/objectives/make-objective';
import { conditionedTheory } from '../../../src-core/momentum/theory/conditioned';
import { quadraticTheory } from '../../../src-core/momentum/theory/quadratic';
import { curvatureMarker } from './curvature-marker';
import { dominantName, optimalSetting } from './theory-text';

const obj = (name: ObjectiveName) => makeObjective(ObjectiveRefSchema.parse({ name }));

describe('the phase-diagram marker uses the local curvature (issue 17, item 9)', () => {
  it('plateau at lr 0.5: the marker sits at h = 0.5*(1/w^2 + slope) = 2.005 at the minimum, not at h = 0.5', () => {
    const m = curvatureMarker(obj('plateau'), 'minimum', 0.5, [2], null, [0.02, 5.2]);
    expect(m.lambdas[0] * 0.5).toBeCloseTo(0.5 * (1 / 0.25 + 0.01), 12);
    expect(m.where).toMatch(/^at the minimum/);
    expect(m.sentence).toContain('h = 2.005');
  });
  it('Rosenbrock at lr 0.05: the stiff direction at the minimum is at h = 0.05*(501 + sqrt(301^2 + 400^2)), beyond the map', () => {
    const m = curvatureMarker(obj('rosenbrock'), 'minimum', 0.05, [-1.2, 1], null, [0.02, 5.2]);
    expect(m.lambdaRef! * 0.05).toBeCloseTo(0.05 * (501 + Math.hypot(301, 400)), 9);
    expect(m.sentence).toMatch(/outside the map/);
  });
  it('the saddle at its start has a negative curvature: no marker for it, and a sentence why', () => {
    const m = curvatureMarker(obj('saddle'), 'start', 0.1, [1.5, 0.01], null, [0.02, 5.2]);
    expect(m.lambdas).toEqual([1]);
    expect(m.sentence).toMatch(/< 0 has no place on this map/);
    const now = curvatureMarker(obj('saddle'), 'now', 0.1, [1.5, 0.01], { t: 300, point: [0, 1] }, [0.02, 5.2]);
    // at the minimum (0, 1): diag(a, b(3y^2 - 1)) = diag(1, 2)
    expect(now.lambdas).toEqual([1, 2]);
    expect(now.where).toMatch(/^now \(step 300/);
  });
  it('Himmelblau at (0, 0) curves down in both directions: no marker, clicks set d only', () => {
    const m = curvatureMarker(obj('himmelblau'), 'minimum', 0.005, [0, 0], null, [0.02, 5.2]);
    expect(m.lambdas).toEqual([]);
    expect(m.lambdaRef).toBeNull();
    expect(m.sentence).toMatch(/no single known minimum/);
    expect(m.sentence).toMatch(/sets d only/);
  });
});

describe('"use these" loads the exact optimum (item 5) and the 2-D naming (item 6)', () => {
  it('at kappa = 1000 the loaded setting has rho = (sqrt(k) - 1)/(sqrt(k) + 1) = 0.9387, not 0.9659', () => {
    const k = 1000;
    const th = conditionedTheory(0.001, 0.9, [1, k], 1);
    const s = optimalSetting(th);
    const rhoExact = (Math.sqrt(k) - 1) / (Math.sqrt(k) + 1);
    const rho = Math.max(quadraticTheory(s.lr, s.d, 1).rho, quadraticTheory(s.lr, s.d, k).rho);
    expect(rho).toBeCloseTo(rhoExact, 6);
    expect(rhoExact).toBeCloseTo(0.9387, 4);
    expect(s.label).toMatch(/d = 0\.8811$/);
    expect(s.d).not.toBe(Number(s.d.toFixed(3))); // loaded unrounded
  });
  it('names the diverging direction as such', () => {
    expect(dominantName(conditionedTheory(0.15, 0.5, [1, 30], 1))).toMatch(/^the diverging direction \(λ = 30\)/);
    expect(dominantName(conditionedTheory(0.01, 0.9, [1, 10], 1))).toMatch(/^both directions share ρ/);
  });
});
