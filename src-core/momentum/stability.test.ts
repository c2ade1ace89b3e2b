import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quadratic1d } from './objectives/one-d';
import { simulateRun } from './simulate';
import { hb } from './test-helpers';
import { quadraticTheory } from './theory/quadratic';

describe('stability of heavy-ball on a quadratic', () => {
  it('momentum with d > 1 diverges for every learning rate, even lr*lambda = 1e-4', () => {
    for (const d of [1.01, 1.1, 1.5]) {
      for (const h of [1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 2, 4, 10, 100]) {
        const th = quadraticTheory(h, d, 1);
        expect(th.rho, `d ${d} h ${h}`).toBeGreaterThanOrEqual(Math.sqrt(d) * (1 - 1e-12));
        expect(th.regime).toBe('diverging');
        expect(th.explanation).toContain('sqrt(d)');
        // steps enough for sqrt(d)^t to grow by 1e12
        const steps = Math.ceil((12 * Math.log(10)) / Math.log(Math.sqrt(d))) + 200;
        const run = simulateRun(quadratic1d(1), hb(h, d), [1], steps);
        expect(run.status, `d ${d} h ${h}: ${run.message}`).toBe('diverged');
      }
    }
  });

  it('d > 1 diverges: property over random d in (1, 1.5] and log-uniform lr*lambda in [1e-4, 10]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.02, max: 1.5, noNaN: true }),
        fc.double({ min: -4, max: 1, noNaN: true }),
        (d, logH) => {
          const h = 10 ** logH;
          const th = quadraticTheory(h, d, 1);
          expect(th.rho).toBeGreaterThan(1);
          const steps = Math.ceil((12 * Math.log(10)) / Math.log(Math.sqrt(d))) + 200;
          const run = simulateRun(quadratic1d(1), hb(h, d), [1], steps);
          expect(run.status).toBe('diverged');
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('d < 1 and 0 < lr*lambda < 2(1+d) converges', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.97, noNaN: true }),
        fc.double({ min: 0.01, max: 0.98, noNaN: true }),
        (d, frac) => {
          const h = frac * 2 * (1 + d);
          const th = quadraticTheory(h, d, 1);
          expect(th.rho).toBeLessThan(1);
          const steps = Math.min(100_000, Math.ceil(Math.log(1e-12) / Math.log(Math.max(th.rho, 1e-3))) + 100);
          const run = simulateRun(quadratic1d(1), hb(h, d), [1], steps);
          expect(run.stoppedAt).toBeNull();
          expect(Math.abs(run.x[run.length - 1])).toBeLessThan(1e-6);
          expect(run.status).not.toBe('diverged');
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('lr*lambda just past 2(1+d) diverges even with d < 1', () => {
    for (const d of [0, 0.5, 0.9]) {
      const h = 2 * (1 + d) * 1.05;
      expect(quadraticTheory(h, d, 1).regime).toBe('diverging');
      expect(simulateRun(quadratic1d(1), hb(h, d), [1], 3000).status).toBe('diverged');
    }
  });
});
