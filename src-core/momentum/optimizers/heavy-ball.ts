import type { Stepper } from './stepper';

/** Heavy-ball momentum (Polyak 1964): v <- d*v - lr*grad(x), x <- x + v. */
export function heavyBallStepper(dim: number, lr: number, d: number): Stepper {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0)) throw new RangeError(`d must be >= 0 (got ${d})`);
  return {
    step(pos, vel, g) {
      for (let k = 0; k < dim; k++) {
        const v = d * vel[k] - lr * g[k];
        vel[k] = v;
        pos[k] += v;
      }
    },
  };
}
