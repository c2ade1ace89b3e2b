import { describe, expect, it } from 'vitest';
import { phaseDiagram } from './phase-diagram';
import { criticalCurve, stabilityBoundary } from './phase-lines';

// Issue 17, item 8: the phase diagram's rule and lines. Oracles: the roots of
// mu^2 - (1 + d - h) mu + d, computed here.

function rho(h: number, d: number): number {
  const tr = 1 + d - h;
  const disc = tr * tr - 4 * d;
  if (disc < 0) return Math.sqrt(d);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((tr + s) / 2), Math.abs((tr - s) / 2));
}

const box = { hMin: 0.02, hMax: 5.2, dMin: 0, dMax: 1.6 };

describe('phase-diagram lines', () => {
  it('the rho = 1 lines are drawn only where they bound the stable region (rho = 1 on them, < 1 just inside)', () => {
    const { edge, unitD } = stabilityBoundary(box);
    expect(edge.length).toBeGreaterThan(10);
    for (const [h, d] of [...edge, ...unitD]) {
      expect(d).toBeLessThanOrEqual(1);
      expect(h).toBeLessThanOrEqual(4);
      expect(rho(h, d)).toBeCloseTo(1, 9);
    }
    for (const [h, d] of edge) if (d < 1) expect(rho(h * 0.999, d)).toBeLessThan(1);
    // d = 1 beyond h = 4 has rho > 1: not part of the line
    expect(rho(4.5, 1)).toBeGreaterThan(1);
    expect(Math.max(...unitD.map((p) => p[0]))).toBe(4);
  });

  it('the critical-damping curve is drawn only where its double root is inside the unit circle', () => {
    const pts = criticalCurve(box);
    expect(pts.length).toBeGreaterThan(10);
    for (const [h, d] of pts) {
      const mu = (1 + d - h) / 2; // the double root
      expect((1 + d - h) ** 2 - 4 * d).toBeCloseTo(0, 9);
      expect(Math.abs(mu)).toBeLessThan(1);
    }
    expect(Math.max(...pts.map((p) => p[0]))).toBeLessThan(4);
  });
});

describe('phase-diagram rule', () => {
  it('a cell with rho = 1.00025 is not painted as converging: it is diverged or marginal', () => {
    const d = 1.00025 ** 2; // complex roots at h = 0.5: rho = sqrt(d)
    expect(rho(0.5, d)).toBeCloseTo(1.00025, 12);
    const pd = phaseDiagram({
      hMin: 0.5,
      hMax: 0.6,
      hScale: 'linear',
      dMin: d,
      dMax: d + 1e-6,
      nh: 2,
      nd: 2,
      steps: 500,
      tol: 1e-6,
    });
    expect(pd.diverged[0] === 1 || pd.marginal[0] === 1).toBe(true);
  });

  it('over a grid every cell with rho > 1 is diverged or marginal, and every cell with rho < 0.999 is neither', () => {
    const pd = phaseDiagram({
      hMin: 0.02,
      hMax: 5.2,
      hScale: 'linear',
      dMin: 0,
      dMax: 1.6,
      nh: 53,
      nd: 41,
      steps: 500,
      tol: 1e-6,
    });
    for (let j = 0; j < pd.d.length; j++) {
      for (let i = 0; i < pd.h.length; i++) {
        const k = j * pd.h.length + i;
        const r = rho(pd.h[i], pd.d[j]);
        if (r > 1) expect(pd.diverged[k] || pd.marginal[k], `h ${pd.h[i]} d ${pd.d[j]}`).toBe(1);
        if (r < 0.999) expect(pd.diverged[k] + pd.marginal[k], `h ${pd.h[i]} d ${pd.d[j]}`).toBe(0);
      }
    }
  });
});
