import type { Stepper } from './stepper';

/** Gradient descent: x <- x - lr*grad(x). */
export function gdStepper(dim: number, lr: number): Stepper {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  return {
    step(pos, vel, g) {
      for (let k = 0; k < dim; k++) {
        const dx = -lr * g[k];
        vel[k] = dx;
        pos[k] += dx;
      }
    },
  };
}
