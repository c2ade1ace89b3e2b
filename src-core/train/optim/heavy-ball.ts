import { checkPairs, zerosLike, type Optimizer } from './optimizer';

/**
 * Heavy-ball momentum (Polyak 1964) in the lab's form:  v <- d*v - lr*g;  w <- w + v.
 * d = 0 is plain SGD (w <- w - lr*g). PyTorch's SGD(momentum=d) is the same
 * dynamics with its buffer b = -v/lr.
 */
export class HeavyBall implements Optimizer {
  readonly lr: number;
  readonly d: number;
  private readonly vel: Float32Array[];

  constructor(params: readonly Float32Array[], lr: number, d: number) {
    if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`HeavyBall: lr must be a finite number > 0, got ${lr}`);
    if (!Number.isFinite(d) || d < 0)
      throw new RangeError(`HeavyBall: momentum d must be a finite number >= 0, got ${d}`);
    this.lr = lr;
    this.d = d;
    this.vel = zerosLike(params);
  }

  /** v <- d*v - lr*g; w <- w + v, for every pair; returns sum(w). */
  step(params: readonly Float32Array[], grads: readonly Float32Array[]): number {
    checkPairs('HeavyBall.step', params, grads, this.vel);
    const lr = this.lr;
    const d = this.d;
    let sum = 0;
    for (let a = 0; a < params.length; a++) {
      const w = params[a];
      const g = grads[a];
      const v = this.vel[a];
      const n = w.length;
      if (d === 0) {
        for (let i = 0; i < n; i++) {
          const vi = -lr * g[i];
          v[i] = vi;
          w[i] += vi;
          sum += w[i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          const vi = d * v[i] - lr * g[i];
          v[i] = vi;
          w[i] += vi;
          sum += w[i];
        }
      }
    }
    return sum;
  }
}
