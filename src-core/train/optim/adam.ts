import { checkPairs, zerosLike, type Optimizer } from './optimizer';

/**
 * Adam (Kingma & Ba 2015, Algorithm 1), as the baseline to compare momentum with:
 *   m <- b1*m + (1-b1)*g;  s <- b2*s + (1-b2)*g^2;  w <- w - lr * (m/(1-b1^t)) / (sqrt(s/(1-b2^t)) + eps)
 * The lab passes its momentum factor d as b1 (so d = 0.9 is PyTorch's default Adam), b2 = 0.999, eps = 1e-8.
 */
export class Adam implements Optimizer {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly s: Float32Array[];

  constructor(params: readonly Float32Array[], lr: number, beta1: number, beta2 = 0.999, eps = 1e-8) {
    if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`Adam: lr must be a finite number > 0, got ${lr}`);
    if (!(beta1 >= 0 && beta1 < 1))
      throw new RangeError(`Adam: beta1 (the momentum factor) must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`Adam: beta2 must be in [0, 1), got ${beta2}`);
    if (!(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`Adam: eps must be a finite number > 0, got ${eps}`);
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.m = zerosLike(params);
    this.s = zerosLike(params);
  }

  /** One Adam step with bias correction for every pair; returns sum(w). */
  step(params: readonly Float32Array[], grads: readonly Float32Array[]): number {
    checkPairs('Adam.step', params, grads, this.m);
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.eps;
    const c1 = 1 / (1 - Math.pow(b1, this.t));
    const c2 = 1 / (1 - Math.pow(b2, this.t));
    const lr = this.lr;
    let sum = 0;
    for (let a = 0; a < params.length; a++) {
      const w = params[a];
      const g = grads[a];
      const m = this.m[a];
      const s = this.s[a];
      const n = w.length;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = b1 * m[i] + (1 - b1) * gi;
        const si = b2 * s[i] + (1 - b2) * gi * gi;
        m[i] = mi;
        s[i] = si;
        w[i] -= (lr * mi * c1) / (Math.sqrt(si * c2) + eps);
        sum += w[i];
      }
    }
    return sum;
  }
}
