import { describe, expect, it } from 'vitest';
import { ObjectiveRefSchema } from '../../../src-core/contracts/sim-config';
import { makeObjective } from '../../../src-core/momentum/objectives/make-objective';
import { minimaOf } from './minima';

describe('the minima marked on the contour plot', () => {
  it('are zeros of the gradient with the smallest value nearby (checked against f itself)', () => {
    for (const [name, count] of [
      ['quadratic-2d', 1],
      ['rosenbrock', 1],
      ['booth', 1],
      ['himmelblau', 4],
      ['saddle', 2],
    ] as const) {
      const obj = makeObjective(ObjectiveRefSchema.parse({ name, params: {} }));
      const ms = minimaOf(obj);
      expect(ms.length, name).toBe(count);
      const g = new Float64Array(2);
      for (const [x, y] of ms) {
        obj.grad(x, y, g);
        expect(Math.hypot(g[0], g[1]), `${name} at (${x}, ${y})`).toBeLessThan(1e-8);
        // a minimum, not a saddle: f is higher on a small circle around it
        const f0 = obj.value(x, y);
        for (let k = 0; k < 16; k++) {
          const a = (k * Math.PI) / 8;
          expect(obj.value(x + 1e-3 * Math.cos(a), y + 1e-3 * Math.sin(a))).toBeGreaterThan(f0);
        }
      }
    }
    // Himmelblau's minima have f = 0
    const h = makeObjective(ObjectiveRefSchema.parse({ name: 'himmelblau', params: {} }));
    for (const [x, y] of minimaOf(h)) expect(h.value(x, y)).toBeLessThan(1e-20);
  });
});
