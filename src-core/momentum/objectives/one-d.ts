import type { Objective } from '../types';

// 1-D objectives. Each factory checks its parameters (RangeError) and
// returns value and gradient as plain closures over the parameters.

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(what);
}

/** What a 1-D objective says about itself, with f, f' and f'' as plain functions of x. */
interface OneD extends Pick<Objective, 'name' | 'minimizer' | 'curvatures' | 'constantGradient'> {
  f: (x: number) => number;
  d1: (x: number) => number;
  d2: (x: number) => number;
}

/** The Objective of a 1-D function: f' goes to the gradient's slot, f'' to the Hessian's. */
function oneD({ name, minimizer, curvatures, constantGradient, f, d1, d2 }: OneD): Objective {
  return {
    name,
    dim: 1,
    minimizer,
    curvatures,
    constantGradient,
    value: f,
    grad: (x, _y, out) => {
      out[0] = d1(x);
    },
    hessian: (x, _y, out) => {
      out[0] = d2(x);
    },
  };
}

/** f = lambda*x^2/2, f' = lambda*x. */
export function quadratic1d(lambda: number): Objective {
  check(Number.isFinite(lambda) && lambda > 0, `lambda must be > 0 (got ${lambda})`);
  return oneD({
    name: 'quadratic',
    minimizer: [0],
    curvatures: [lambda],
    constantGradient: null,
    f: (x) => 0.5 * lambda * x * x,
    d1: (x) => lambda * x,
    d2: () => lambda,
  });
}

/** f = g*x, f' = g. */
export function linear1d(g: number): Objective {
  check(Number.isFinite(g), `g must be finite (got ${g})`);
  return oneD({
    name: 'linear',
    minimizer: null,
    curvatures: null,
    constantGradient: [g],
    f: (x) => g * x,
    d1: () => g,
    d2: () => 0,
  });
}

/** f = s*log(cosh(x/s)) (stable: |x| + s*log1p(exp(-2|x|/s)) - s*log 2), f' = tanh(x/s). */
export function logCosh1d(s: number): Objective {
  check(Number.isFinite(s) && s > 0, `s must be > 0 (got ${s})`);
  const ln2 = Math.log(2);
  return oneD({
    name: 'log-cosh',
    minimizer: [0],
    curvatures: null,
    constantGradient: null,
    f: (x) => {
      const a = Math.abs(x);
      return a + s * Math.log1p(Math.exp((-2 * a) / s)) - s * ln2;
    },
    d1: (x) => Math.tanh(x / s),
    // f'' = sech^2(x/s)/s = (1 - tanh^2(x/s))/s
    d2: (x) => {
      const c = Math.cosh(x / s);
      return Number.isFinite(c) ? 1 / (s * c * c) : 0;
    },
  });
}

/** f = a*(x^2 - 1)^2 + c*x, f' = 4a*x*(x^2 - 1) + c. */
export function doubleWell1d(a: number, c: number): Objective {
  check(Number.isFinite(a) && a > 0, `a must be > 0 (got ${a})`);
  check(Number.isFinite(c), `c must be finite (got ${c})`);
  return oneD({
    name: 'double-well',
    minimizer: null,
    curvatures: null,
    constantGradient: null,
    f: (x) => {
      const q = x * x - 1;
      return a * q * q + c * x;
    },
    d1: (x) => 4 * a * x * (x * x - 1) + c,
    d2: (x) => 4 * a * (3 * x * x - 1),
  });
}

/** f = 1 - exp(-x^2/(2w^2)) + eps*x^2/2, f' = x*exp(-x^2/(2w^2))/w^2 + eps*x. */
export function plateau1d(w: number, eps: number): Objective {
  check(Number.isFinite(w) && w > 0, `w must be > 0 (got ${w})`);
  check(Number.isFinite(eps) && eps >= 0, `eps must be >= 0 (got ${eps})`);
  const inv2w2 = 1 / (2 * w * w);
  const invW2 = 1 / (w * w);
  return oneD({
    name: 'plateau',
    minimizer: [0],
    curvatures: null,
    constantGradient: null,
    f: (x) => 1 - Math.exp(-x * x * inv2w2) + 0.5 * eps * x * x,
    d1: (x) => x * Math.exp(-x * x * inv2w2) * invW2 + eps * x,
    // f'' = exp(-x^2/(2w^2)) (1 - x^2/w^2)/w^2 + eps
    d2: (x) => Math.exp(-x * x * inv2w2) * (1 - x * x * invW2) * invW2 + eps,
  });
}
