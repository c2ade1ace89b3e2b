import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quadratic1d } from '../objectives/one-d';
import { booth, quadratic2d } from '../objectives/two-d';
import { simulateRun } from '../simulate';
import { hb } from '../test-helpers';
import type { SimRun } from '../types';

// Issue 17, items 1-2: the exported envelope runs[i].theory.envelope bounds
// |x_t - x*| at every t and is tight. The oracles are closed forms written
// here from the characteristic roots, not the code under test.

const dist = (r: SimRun, m: number[]) =>
  Float64Array.from(r.x, (x, t) => (r.y ? Math.hypot(x - m[0], r.y[t] - m[1]) : Math.abs(x - m[0])));

/**
 * worst: max over every t of |x_t - x*|/env_t (the bound holds when <= 1).
 * tight: the same max over the second half of the run only (env_0 = |x_0 - x*|
 * would make t = 0 trivially tight), where env_t is far above its floor.
 */
function check(r: SimRun, m: number[]) {
  const env = r.theory!.envelope!;
  expect(env.length).toBe(r.x.length);
  const e = dist(r, m);
  const floor = Math.max(1e-200, 1e6 * 64 * Number.EPSILON * Math.hypot(...m));
  let worst = 0;
  let last = -1; // the last t whose envelope is far above the round-off floor
  for (let t = 0; t < e.length; t++) {
    const q = e[t] / env[t];
    if (q > worst) worst = q;
    if (env[t] > floor) last = t;
  }
  // tightness over the second half of the resolvable part (t = 0 is trivially tight: env_0 = |x_0 - x*|)
  let tight = 0;
  for (let t = Math.ceil(last / 2); t <= last; t++) tight = Math.max(tight, e[t] / env[t]);
  return { worst, tight: last >= 8 ? tight : null };
}

const signChanges = (x: Float64Array) => {
  let n = 0;
  for (let t = 1; t < x.length; t++) if (x[t] * x[t - 1] < 0) n++;
  return n;
};

describe('the exact envelope (item 1: complex roots)', () => {
  it('at lambda 1, lr 0.1, d 0.5 it is |x0|*sqrt(1 + c^2)*rho^t, c = (1-d-h)/sqrt(4d-(1+d-h)^2), and the peaks touch it', () => {
    const h = 0.1;
    const d = 0.5;
    const c = (1 - d - h) / Math.sqrt(4 * d - (1 + d - h) ** 2);
    const C = Math.sqrt(1 + c * c); // 2.2360...
    expect(C).toBeCloseTo(2.236, 3);
    const r = simulateRun(quadratic1d(1), hb(0.1, 0.5), [1], 200);
    const env = r.theory!.envelope!;
    // from t = 5 on it is C rho^t; before, the transient bound |e0| rho^t + |e1 - m e0| t rho^(t-1) is smaller (m = (1+d-h)/2)
    const rho = Math.sqrt(d);
    for (let t = 0; t <= 100; t++) {
      const transient = rho ** t + Math.abs(1 - h - (1 + d - h) / 2) * t * rho ** (t - 1);
      expect(env[t] / Math.min(C * rho ** t, transient)).toBeCloseTo(1, 8);
      if (t >= 5) expect(env[t] / (C * rho ** t)).toBeCloseTo(1, 8);
    }
    const { worst, tight } = check(r, [0]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(tight!).toBeGreaterThan(0.99);
  });

  it('scales with the start and is C*|x0 - x*|*rho^t in 2-D along each eigen-direction (Booth, x* = (1, 3))', () => {
    const r = simulateRun(booth(), hb(0.02, 0.9), [-4, -4], 400);
    const { worst, tight } = check(r, [1, 3]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(tight!).toBeGreaterThan(0.5);
  });
});

describe('double roots (item 2)', () => {
  it('critical damping lr 0.01, d 0.81: x_t = (1 + 0.1 t) 0.9^t exactly, and the envelope is (|a| + |b| t) rho^t', () => {
    // mu = 0.9 double; e_1 = (1 - h) e_0 = 0.99, b = e_1/mu - e_0 = 0.1
    const r = simulateRun(quadratic1d(1), hb(0.01, 0.81), [1], 1000);
    const env = r.theory!.envelope!;
    for (const t of [0, 1, 10, 100, 500, 1000]) {
      const exact = (1 + 0.1 * t) * 0.9 ** t;
      expect(r.x[t] / exact).toBeCloseTo(1, 6);
      expect(env[t] / exact).toBeCloseTo(1, 6);
    }
    const { worst } = check(r, [0]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(r.theory!.explanation).toMatch(/transient that grows linearly/);
    expect(r.theory!.envelopeForms[0]).toMatchObject({ kind: 'double' });
  });

  it("Polyak's optimum on a 2-D quadratic (both directions double roots) stays inside its envelope", () => {
    const l1 = 1;
    const l2 = 100;
    const lr = (2 / (Math.sqrt(l1) + Math.sqrt(l2))) ** 2;
    const d = ((Math.sqrt(l2 / l1) - 1) / (Math.sqrt(l2 / l1) + 1)) ** 2;
    const r = simulateRun(quadratic2d(l1, l2, 30), hb(lr, d), [-2, 1], 600);
    const { worst, tight } = check(r, [0, 0]);
    expect(worst).toBeLessThanOrEqual(1);
    expect(tight!).toBeGreaterThan(0.5);
  });
});

describe('property: over random (lambda, lr, d), complex and real, both sides of every boundary', () => {
  // boundaries: h = 2(1 + d), d = (1 - sqrt(h))^2, d = 1
  const near = (v: number, eps: number) => v * (1 + eps);
  const eps = fc.oneof(
    fc.constant(0),
    fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
    fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  );
  const point = fc.oneof(
    fc.record({ h: fc.double({ min: 1e-3, max: 4.4, noNaN: true }), d: fc.double({ min: 0, max: 1.1, noNaN: true }) }),
    fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), eps).map(([d, e]) => ({ h: near(2 * (1 + d), e), d })),
    fc
      .tuple(fc.double({ min: 1e-3, max: 3.9, noNaN: true }), eps)
      .map(([h, e]) => ({ h, d: Math.min(1.2, near((1 - Math.sqrt(h)) ** 2, e)) })),
    fc.tuple(fc.double({ min: 1e-3, max: 4.4, noNaN: true }), eps).map(([h, e]) => ({ h, d: near(1, e / 20) })),
  );
  it('1-D: |x_t - x*| <= envelope_t at every t, and max_t ratio >= 0.5 when x_t oscillates', () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }).filter((x) => x !== 0),
        fc.integer({ min: 150, max: 600 }),
        ({ h, d }, logLam, x0, T) => {
          fc.pre(h > 0 && d >= 0 && d <= 2);
          const lam = 10 ** logLam;
          const r = simulateRun(quadratic1d(lam), hb(h / lam, d), [x0], T);
          fc.pre(r.stoppedAt === null);
          const { worst, tight } = check(r, [0]);
          expect(worst, `h ${h} d ${d}`).toBeLessThanOrEqual(1);
          if (signChanges(r.x) >= 3 && tight !== null)
            expect(tight, `h ${h} d ${d} x0 ${x0} T ${T}`).toBeGreaterThanOrEqual(0.5);
        },
      ),
      { numRuns: 1500, seed: 17 },
    );
  });

  it('2-D: ||x_t - x*|| <= envelope_t (directions summed in quadrature), and tight when the iterate oscillates', () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })),
        ({ h, d }, logK, angle, start) => {
          fc.pre(h > 0 && d >= 0 && d <= 2 && Math.hypot(...start) > 1e-3);
          const k = 10 ** logK;
          // h is the stiff direction's lr*lambda
          const obj = quadratic2d(1, k, angle);
          const r = simulateRun(obj, hb(h / k, d), start, 400);
          fc.pre(r.stoppedAt === null);
          const { worst, tight } = check(r, [0, 0]);
          expect(worst).toBeLessThanOrEqual(1);
          // tightness where the start has a resolvable part along both eigenvectors (cos, sin) and (-sin, cos)
          const th = (angle * Math.PI) / 180;
          const c1 = Math.abs(Math.cos(th) * start[0] + Math.sin(th) * start[1]);
          const c2 = Math.abs(-Math.sin(th) * start[0] + Math.cos(th) * start[1]);
          const both = Math.min(c1, c2) > 1e-6 * Math.hypot(...start);
          if (both && signChanges(r.x) >= 3 && signChanges(r.y!) >= 3 && tight !== null)
            expect(tight, `h ${h} d ${d} k ${k}`).toBeGreaterThanOrEqual(0.5);
        },
      ),
      { numRuns: 600, seed: 23 },
    );
  });

  it('Booth (x* = (1, 3) != 0): the bound holds down to the round-off floor around x*', () => {
    fc.assert(
      fc.property(
        point,
        fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 7, noNaN: true })),
        fc.integer({ min: 200, max: 1500 }),
        ({ h, d }, start, T) => {
          fc.pre(h > 0 && d >= 0 && d <= 2 && Math.hypot(start[0] - 1, start[1] - 3) > 1e-3);
          const r = simulateRun(booth(), hb(h / 18, d), start, T);
          fc.pre(r.stoppedAt === null);
          expect(check(r, [1, 3]).worst, `h ${h} d ${d}`).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300, seed: 29 },
    );
  });
});
