// The theory's lines on the phase diagram over (h = lr*lambda, d), drawn only
// where they mean what the legend says:
// - the stability boundary (rho = 1 and beyond it rho > 1): h = 2(1 + d) for
//   0 <= d <= 1 (the roots -1 and -d), and d = 1 for 0 < h <= 4 (complex
//   roots of modulus sqrt(d) = 1; at h = 4 the double root -1). Beyond d = 1
//   the line h = 2(1 + d) has rho > 1, and beyond h = 4 the line d = 1 has a
//   real root below -1: neither is a rho = 1 line there.
// - critical damping d = (1 - sqrt(h))^2: the double root mu = 1 - sqrt(h)
//   (|mu| = sqrt(d)) lies inside the unit circle only for 0 < h < 4.

export interface PhaseBox {
  hMin: number;
  hMax: number;
  dMin: number;
  dMax: number;
  hScale?: 'linear' | 'log';
}

/** Polylines of (h, d) points inside the box. */
export type Polyline = [number, number][];

const inBox = (b: PhaseBox, h: number, d: number) => h >= b.hMin && h <= b.hMax && d >= b.dMin && d <= b.dMax;

/** The stability boundary's two pieces, clipped to the box (each may be empty). */
export function stabilityBoundary(b: PhaseBox, samples = 100): { edge: Polyline; unitD: Polyline } {
  const edge: Polyline = [];
  const d0 = Math.max(b.dMin, 0);
  const d1 = Math.min(b.dMax, 1);
  for (let k = 0; k <= samples && d0 <= d1; k++) {
    const d = d0 + ((d1 - d0) * k) / samples;
    const h = 2 * (1 + d);
    if (inBox(b, h, d)) edge.push([h, d]);
  }
  const unitD: Polyline = [];
  if (b.dMin <= 1 && b.dMax >= 1) {
    const h0 = Math.max(b.hMin, 0);
    const h1 = Math.min(b.hMax, 4);
    if (h0 < h1) unitD.push([h0, 1], [h1, 1]);
  }
  return { edge, unitD };
}

/** The critical-damping curve d = (1 - sqrt(h))^2 for 0 < h < 4 (its double root inside the unit circle), clipped to the box. */
export function criticalCurve(b: PhaseBox, samples = 300): Polyline {
  const pts: Polyline = [];
  const h0 = Math.max(b.hMin, 1e-9);
  const h1 = Math.min(b.hMax, 4);
  if (!(h0 < h1)) return pts;
  for (let k = 0; k <= samples; k++) {
    const u = k / samples;
    const h = b.hScale === 'log' ? h0 * (h1 / h0) ** u : h0 + (h1 - h0) * u;
    if (h >= 4) continue;
    const d = (1 - Math.sqrt(h)) ** 2;
    if (inBox(b, h, d)) pts.push([h, d]);
  }
  return pts;
}
