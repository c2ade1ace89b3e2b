export interface Complex {
  re: number;
  im: number;
}

/**
 * Roots of mu^2 - trace*mu + det = 0 (the eigenvalues of a 2x2 matrix), the
 * larger modulus first. Real roots use the cancellation-free form
 * mu1 = (T + sign(T)*sqrt(T^2 - 4D))/2, mu2 = D/mu1 (Numerical Recipes 5.6).
 */
export function eigen2x2(trace: number, det: number): { disc: number; mu: [Complex, Complex] } {
  if (!Number.isFinite(trace) || !Number.isFinite(det))
    throw new RangeError(`trace and det must be finite (got ${trace}, ${det})`);
  const disc = trace * trace - 4 * det;
  if (disc < 0) {
    const im = Math.sqrt(-disc) / 2;
    return {
      disc,
      mu: [
        { re: trace / 2, im },
        { re: trace / 2, im: -im },
      ],
    };
  }
  const s = trace + (trace >= 0 ? 1 : -1) * Math.sqrt(disc);
  const mu1 = s / 2;
  const mu2 = mu1 !== 0 ? det / mu1 : 0;
  return Math.abs(mu1) >= Math.abs(mu2)
    ? {
        disc,
        mu: [
          { re: mu1, im: 0 },
          { re: mu2, im: 0 },
        ],
      }
    : {
        disc,
        mu: [
          { re: mu2, im: 0 },
          { re: mu1, im: 0 },
        ],
      };
}

/** |z| = sqrt(re^2 + im^2). */
export function modulus(z: Complex): number {
  return Math.hypot(z.re, z.im);
}
