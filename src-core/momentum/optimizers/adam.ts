import type { Stepper } from './stepper';

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with beta1 = d:
 * m <- d*m + (1-d)*g, s <- beta2*s + (1-beta2)*g^2,
 * x <- x - lr * (m/(1-d^t)) / (sqrt(s/(1-beta2^t)) + eps).
 */
export function adamStepper(dim: number, lr: number, d: number, beta2: number, eps: number): Stepper {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0 && d < 1)) throw new RangeError(`Adam needs 0 <= d (beta1) < 1 (got ${d})`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1) (got ${beta2})`);
  if (!(eps > 0)) throw new RangeError(`eps must be > 0 (got ${eps})`);
  const m = new Float64Array(dim);
  const s = new Float64Array(dim);
  let p1 = 1;
  let p2 = 1;
  return {
    step(pos, vel, g) {
      p1 *= d;
      p2 *= beta2;
      const c1 = 1 / (1 - p1);
      const c2 = 1 / (1 - p2);
      for (let k = 0; k < dim; k++) {
        const gk = g[k];
        m[k] = d * m[k] + (1 - d) * gk;
        s[k] = beta2 * s[k] + (1 - beta2) * gk * gk;
        const dx = (-lr * (m[k] * c1)) / (Math.sqrt(s[k] * c2) + eps);
        vel[k] = dx;
        pos[k] += dx;
      }
    },
  };
}
