import { describe, expect, it } from 'vitest';
import { booth, quadratic2d } from '../objectives/two-d';
import { eigenDirections } from './eigen-directions';

describe('eigen-directions of a constant Hessian', () => {
  it('recovers the rotated axes and curvatures of the ill-conditioned quadratic', () => {
    for (const angle of [0, 30, -75, 120]) {
      const dirs = eigenDirections(quadratic2d(1, 25, angle))!;
      const th = (angle * Math.PI) / 180;
      expect(dirs[0].lambda).toBeCloseTo(1, 10);
      expect(dirs[1].lambda).toBeCloseTo(25, 10);
      // the first axis (cos, sin) up to sign
      expect(Math.abs(dirs[0].vector[0] * Math.cos(th) + dirs[0].vector[1] * Math.sin(th))).toBeCloseTo(1, 10);
      expect(Math.abs(dirs[1].vector[0] * -Math.sin(th) + dirs[1].vector[1] * Math.cos(th))).toBeCloseTo(1, 10);
    }
  });

  it("finds Booth's curvatures 2 and 18 along (1, -1) and (1, 1)", () => {
    const dirs = eigenDirections(booth())!;
    expect(dirs.map((d) => d.lambda)).toEqual([expect.closeTo(2, 10), expect.closeTo(18, 10)]);
    expect(Math.abs(dirs[1].vector[0] - dirs[1].vector[1])).toBeLessThan(1e-12);
  });
});
