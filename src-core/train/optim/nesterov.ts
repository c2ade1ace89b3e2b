import { velocityOptimizer } from './velocity';

/**
 * Nesterov momentum (Nesterov 1983; Sutskever et al. 2013):
 *   v <- d*v - lr*g(w + d*v);  w <- w + v.
 * Stored in the look-ahead variable u = w + d*v (so the gradient is taken at the
 * stored parameters, as PyTorch's SGD(nesterov=True) does):
 *   v <- d*v - lr*g(u);  u <- u + d*v - lr*g(u)   (v already updated).
 */
export const Nesterov = velocityOptimizer('Nesterov', (w, g, v, sum, lr, d) => {
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const step = -lr * g[i];
    const vi = d * v[i] + step;
    v[i] = vi;
    w[i] += d * vi + step;
    sum += w[i];
  }
  return sum;
});
