import { checkPairs, zerosLike, type Optimizer } from './optimizer';

/**
 * Nesterov momentum (Nesterov 1983; Sutskever et al. 2013):
 *   v <- d*v - lr*g(w + d*v);  w <- w + v.
 * Stored in the look-ahead variable u = w + d*v (so the gradient is taken at the
 * stored parameters, as PyTorch's SGD(nesterov=True) does):
 *   v <- d*v - lr*g(u);  u <- u + d*v - lr*g(u)   (v already updated).
 */
export class Nesterov implements Optimizer {
  readonly lr: number;
  readonly d: number;
  private readonly vel: Float32Array[];

  constructor(params: readonly Float32Array[], lr: number, d: number) {
    if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`Nesterov: lr must be a finite number > 0, got ${lr}`);
    if (!Number.isFinite(d) || d < 0)
      throw new RangeError(`Nesterov: momentum d must be a finite number >= 0, got ${d}`);
    this.lr = lr;
    this.d = d;
    this.vel = zerosLike(params);
  }

  /** v <- d*v - lr*g; u <- u + d*v - lr*g, for every pair; returns sum(u). */
  step(params: readonly Float32Array[], grads: readonly Float32Array[]): number {
    checkPairs('Nesterov.step', params, grads, this.vel);
    const lr = this.lr;
    const d = this.d;
    let sum = 0;
    for (let a = 0; a < params.length; a++) {
      const w = params[a];
      const g = grads[a];
      const v = this.vel[a];
      const n = w.length;
      for (let i = 0; i < n; i++) {
        const step = -lr * g[i];
        const vi = d * v[i] + step;
        v[i] = vi;
        w[i] += d * vi + step;
        sum += w[i];
      }
    }
    return sum;
  }
}
