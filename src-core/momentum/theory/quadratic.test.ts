import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quadratic1d } from '../objectives/one-d';
import { simulateRun } from '../simulate';
import { hb } from '../test-helpers';
import { modulus } from './eigen2x2';
import { quadraticTheory, type QuadraticTheory } from './quadratic';

const signChanges = (x: Float64Array) => {
  let n = 0;
  for (let t = 1; t < x.length; t++) if (x[t] * x[t - 1] < 0) n++;
  return n;
};

/** A property over step sizes h = lr * lambda in [lo, hi] and momenta d in [0, dMax], given the theory of (h, d) at
 * lambda = 1 (fast-check, seeded). */
function forAllTheories(
  [lo, hi]: [number, number],
  dMax: number,
  params: { numRuns: number; seed: number },
  check: (th: QuadraticTheory, h: number, d: number) => void,
) {
  fc.assert(
    fc.property(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: 0, max: dMax, noNaN: true }), (h, d) =>
      check(quadraticTheory(h, d, 1), h, d),
    ),
    params,
  );
}

describe('quadratic theory', () => {
  it('eigenvalues are the roots of mu^2 - (1 + d - h) mu + d, and their product is det M = d', () => {
    forAllTheories([1e-4, 8], 1.6, { numRuns: 500, seed: 3 }, (th, h, d) => {
      const [a, b] = th.eigenvalues;
      // product and sum (complex arithmetic)
      const pr = a.re * b.re - a.im * b.im;
      const pi = a.re * b.im + a.im * b.re;
      expect(pr).toBeCloseTo(d, 9);
      expect(pi).toBeCloseTo(0, 9);
      expect(a.re + b.re).toBeCloseTo(1 + d - h, 9);
      expect(th.rho).toBeCloseTo(Math.max(modulus(a), modulus(b)), 12);
      expect(th.rho).toBeGreaterThanOrEqual(Math.sqrt(d) - 1e-12);
    });
  });

  it('the regime classification matches the eigenvalues', () => {
    forAllTheories([1e-4, 8], 1.6, { numRuns: 500, seed: 5 }, (th) => {
      const [a] = th.eigenvalues;
      if (th.rho > 1 + 1e-12) expect(th.regime).toBe('diverging');
      else if (th.regime === 'monotone') expect(a.im === 0 && a.re > 0).toBe(true);
      else if (th.regime === 'oscillating') expect(a.im !== 0 || a.re < 0).toBe(true);
      if (th.regime === 'diverging') expect(th.rho).toBeGreaterThan(1);
      if (th.regime !== 'diverging' && th.regime !== 'undamped') expect(th.rho).toBeLessThan(1);
    });
  });

  it('the regime matches the measured trajectory: monotone crosses zero at most once, complex roots turn by angle theta per step', () => {
    forAllTheories([1e-3, 3.9], 0.99, { numRuns: 300, seed: 9 }, (th, h, d) => {
      fc.pre(th.rho < 1 && th.regime !== 'critically-damped');
      const T = 200;
      fc.pre(th.rho ** T > 1e-250);
      const run = simulateRun(quadratic1d(1), hb(h, d), [1], T);
      const n = signChanges(run.x);
      const [a] = th.eigenvalues;
      if (th.regime === 'monotone') expect(n).toBeLessThanOrEqual(1);
      else if (a.im !== 0) {
        const theta = Math.atan2(a.im, a.re);
        expect(Math.abs(n - (T * theta) / Math.PI)).toBeLessThanOrEqual(2);
      } else {
        expect(n).toBeGreaterThan(T / 2); // dominant negative root: flips almost every step
      }
    });
  });

  it('d* = (1 - sqrt(lr*lambda))^2 is critically damped', () => {
    for (const h of [0.01, 0.1, 0.5, 0.81, 1.7, 3]) {
      const dStar = (1 - Math.sqrt(h)) ** 2;
      const th = quadraticTheory(h, dStar, 1);
      expect(th.criticalD).toBeCloseTo(dStar, 14);
      expect(th.regime, `h ${h}`).toBe('critically-damped');
      expect(quadraticTheory(h, Math.min(dStar + 0.05, 0.99), 1).eigenvalues[0].im).not.toBe(0);
    }
  });

  it('explains d > 1 through det M = d, and names the overshoot past 2(1+d)', () => {
    expect(quadraticTheory(0.1, 1.1, 1).explanation).toMatch(/det M = d .*sqrt\(d\) = 1\.049 > 1.*every learning rate/);
    expect(quadraticTheory(4.5, 0.5, 1).explanation).toMatch(/2\(1 \+ d\) = 3/);
  });

  it('checks its arguments', () => {
    expect(() => quadraticTheory(0, 0.5, 1)).toThrow(RangeError);
    expect(() => quadraticTheory(0.1, -0.1, 1)).toThrow(RangeError);
    expect(() => quadraticTheory(0.1, 0.5, Number.NaN)).toThrow(RangeError);
  });
});
