import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipSegment, clipTrail, type Box } from './clip-trail';

const box: Box = { x: [-2, 2], y: [-1, 1] };
const inside = (p: [number, number], b: Box, tol = 1e-9) =>
  p[0] >= b.x[0] - tol && p[0] <= b.x[1] + tol && p[1] >= b.y[0] - tol && p[1] <= b.y[1] + tol;

describe('clipping a trajectory to the plot', () => {
  it('a segment leaving through the right edge is cut at x = 2', () => {
    const c = clipSegment(0, 0, 4, 0.4, box)!;
    expect(c[0]).toBe(0);
    expect(c[1]).toBeCloseTo(0.5, 12);
    expect(clipSegment(3, 3, 4, 4, box)).toBeNull();
  });

  it('a diverging run is drawn up to the edge and says at which step it left', () => {
    // x_t = (-1.5)^t * 0.1: inside up to |x| <= 2, i.e. t <= 7 (|x_7| = 1.7), out at t = 8 (2.56)
    const xs = Array.from({ length: 400 }, (_, t) => 0.1 * (-1.5) ** t);
    const ys = xs.map(() => 0);
    const r = clipTrail(xs, ys, 399, box);
    expect(r.leftAt).toBe(8);
    expect(r.exit![0]).toBeCloseTo(2, 12);
    for (const piece of r.pieces) for (const p of piece) expect(inside(p, box)).toBe(true);
    // huge coordinates (1e150 and beyond) never reach the output
    const big = clipTrail([0, 1e150, -1e300], [0, 1e150, 1e300], 2, box);
    expect(big.leftAt).toBe(1);
    for (const piece of big.pieces) for (const p of piece) expect(Math.abs(p[0]) + Math.abs(p[1])).toBeLessThan(5);
  });

  it('stopAtExit draws a diverged run only up to the edge where it first left', () => {
    const r = clipTrail([0, 1, 3, 0, 1], [0, 0, 0, 0, 0], 4, box, 1, true);
    expect(r.leftAt).toBe(2);
    expect(r.pieces).toEqual([
      [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
    ]);
  });

  it('a run that leaves and comes back gives two pieces', () => {
    const r = clipTrail([0, 3, 0], [0, 0, 0], 2, box);
    expect(r.leftAt).toBe(1);
    expect(r.pieces.length).toBe(2);
    expect(r.pieces[0]).toEqual([
      [0, 0],
      [2, 0],
    ]);
    expect(r.pieces[1]).toEqual([
      [2, 0],
      [0, 0],
    ]);
  });

  it('property: every output point is in the box, and a trail that stays inside is returned whole', () => {
    const coord = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(1e150, -1e150, 1e300));
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 40 }), (pts) => {
        const xs = pts.map((p) => p[0]);
        const ys = pts.map((p) => p[1]);
        const r = clipTrail(xs, ys, pts.length - 1, box);
        for (const piece of r.pieces) for (const p of piece) expect(inside(p, box)).toBe(true);
        const firstOut = pts.findIndex((p) => !inside(p, box, 0));
        expect(r.leftAt).toBe(firstOut === -1 ? null : firstOut);
        if (firstOut === -1) expect(r.pieces).toEqual([pts]);
      }),
    );
  });
});
