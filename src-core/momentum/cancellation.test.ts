import { describe, expect, it } from 'vitest';
import { cancellation } from './cancellation';
import { linear1d, quadratic1d } from './objectives/one-d';
import { simulateRun } from './simulate';
import { hb } from './test-helpers';

// Issue 17, item 11: sign flips cancel. Oracles: the geometric series
// lr*G*(1 - d^t)/(1 - d) (same sign) and lr*G*|1 - (-d)^t|/(1 + d) (alternating).

/** A run-shaped record whose gradient alternates in sign with size G: v_t = d v_{t-1} - lr g_{t-1}. */
function alternating(lr: number, d: number, G: number, n: number) {
  const vx = new Float64Array(n);
  const gradNorm = new Float64Array(n).fill(G);
  const gradSign = Int8Array.from({ length: n }, (_, t) => (t % 2 === 0 ? 1 : -1));
  for (let t = 1; t < n; t++) vx[t] = d * vx[t - 1] - lr * G * gradSign[t - 1];
  return { length: n, dim: 1 as const, vx, vy: null, gradNorm, gradSign, optimizer: { kind: 'heavy-ball', lr, d } };
}

describe('sign flips cancel', () => {
  it('under alternating gradients |v_t| = lr*G*|1 - (-d)^t|/(1 + d) -> lr*G/(1 + d), and the sentence says the flips cancel', () => {
    const c = cancellation(alternating(0.1, 0.9, 2, 200));
    for (const t of [1, 2, 5, 50, 199]) {
      const exact = (0.1 * 2 * Math.abs(1 - (-0.9) ** t)) / 1.9;
      expect(c.speed[t]).toBeCloseTo(exact, 12);
      expect(c.alt[t]).toBeCloseTo(exact, 12);
    }
    expect(c.speed[199]).toBeCloseTo((0.1 * 2) / 1.9, 6);
    expect(c.flipShare).toBe(1);
    expect(c.sentence).toMatch(/flips cancel/);
  });

  it('under a constant gradient |v_t| = lr*g*(1 - d^t)/(1 - d) -> lr*g/(1 - d) (the same-sign value), and the sentence says the pushes add up', () => {
    const r = simulateRun(linear1d(2), hb(0.1, 0.9), [0], 200);
    const c = cancellation(r);
    for (const t of [1, 10, 200]) expect(c.speed[t]).toBeCloseTo((0.1 * 2 * (1 - 0.9 ** t)) / 0.1, 9);
    expect(c.ratio).toBeCloseTo(1, 12);
    expect(c.altRatio).toBeLessThan(0.1);
    expect(c.sentence).toMatch(/pushes add up/);
  });

  it('|v_t| never exceeds the same-sign value on a real run', () => {
    for (const d of [0.3, 0.9, 0.99]) {
      const r = simulateRun(quadratic1d(1), hb(0.5, d), [1], 300);
      const c = cancellation(r);
      for (let t = 0; t < r.length; t++) expect(c.speed[t]).toBeLessThanOrEqual(c.same[t] * (1 + 1e-12) + 1e-300);
      expect(c.sentence.length).toBeGreaterThan(10);
    }
  });
});
