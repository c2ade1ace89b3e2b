import { velocityOptimizer } from './velocity';

/**
 * Heavy-ball momentum (Polyak 1964) in the lab's form:  v <- d*v - lr*g;  w <- w + v.
 * d = 0 is plain SGD (w <- w - lr*g). PyTorch's SGD(momentum=d) is the same
 * dynamics with its buffer b = -v/lr.
 */
export const HeavyBall = velocityOptimizer('HeavyBall', (w, g, v, sum, lr, d) => {
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
  return sum;
});
