import type { Objective } from '../types';
import type { Stepper } from './stepper';

/**
 * Nesterov momentum in the look-ahead form of Sutskever et al. (2013):
 * v <- d*v - lr*grad(x + d*v), x <- x + v.
 */
export function nesterovStepper(objective: Objective, lr: number, d: number): Stepper {
  if (!(lr > 0)) throw new RangeError(`lr must be > 0 (got ${lr})`);
  if (!(d >= 0)) throw new RangeError(`d must be >= 0 (got ${d})`);
  const dim = objective.dim;
  return {
    step(pos, vel, g) {
      const ax = pos[0] + d * vel[0];
      const ay = dim > 1 ? pos[1] + d * vel[1] : 0;
      objective.grad(ax, ay, g);
      for (let k = 0; k < dim; k++) {
        const v = d * vel[k] - lr * g[k];
        vel[k] = v;
        pos[k] += v;
      }
    },
  };
}
