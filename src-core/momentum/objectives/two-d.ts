import type { Objective } from '../types';

// 2-D objectives: value and gradient in closed form.

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(what);
}

/**
 * f = (lambda1*u^2 + lambda2*w^2)/2 with u = c*x + s*y, w = -s*x + c*y (axes rotated by angle);
 * grad = R^T diag(lambda) R (x, y).
 */
export function quadratic2d(lambda1: number, lambda2: number, angleDeg: number): Objective {
  check(Number.isFinite(lambda1) && lambda1 > 0, `lambda1 must be > 0 (got ${lambda1})`);
  check(Number.isFinite(lambda2) && lambda2 > 0, `lambda2 must be > 0 (got ${lambda2})`);
  check(Number.isFinite(angleDeg), `angle must be finite (got ${angleDeg})`);
  const th = (angleDeg * Math.PI) / 180;
  const c = Math.cos(th);
  const s = Math.sin(th);
  // Hessian H = [[a, b], [b, e]]
  const a = lambda1 * c * c + lambda2 * s * s;
  const b = (lambda1 - lambda2) * c * s;
  const e = lambda1 * s * s + lambda2 * c * c;
  return {
    name: 'quadratic-2d',
    dim: 2,
    minimizer: [0, 0],
    curvatures: [Math.min(lambda1, lambda2), Math.max(lambda1, lambda2)],
    constantGradient: null,
    value: (x, y) => 0.5 * (a * x * x + 2 * b * x * y + e * y * y),
    grad: (x, y, out) => {
      out[0] = a * x + b * y;
      out[1] = b * x + e * y;
    },
    hessian: (_x, _y, out) => {
      out[0] = a;
      out[1] = b;
      out[2] = e;
    },
  };
}

/** f = (a - x)^2 + b*(y - x^2)^2; grad = (-2(a - x) - 4b*x*(y - x^2), 2b*(y - x^2)). */
export function rosenbrock(a: number, b: number): Objective {
  check(Number.isFinite(a), `a must be finite (got ${a})`);
  check(Number.isFinite(b) && b >= 0, `b must be >= 0 (got ${b})`);
  return {
    name: 'rosenbrock',
    dim: 2,
    minimizer: [a, a * a],
    curvatures: null,
    constantGradient: null,
    value: (x, y) => {
      const p = a - x;
      const q = y - x * x;
      return p * p + b * q * q;
    },
    grad: (x, y, out) => {
      const q = y - x * x;
      out[0] = -2 * (a - x) - 4 * b * x * q;
      out[1] = 2 * b * q;
    },
    // f_xx = 2 - 4b(y - x^2) + 8b x^2, f_xy = -4b x, f_yy = 2b
    hessian: (x, y, out) => {
      out[0] = 2 - 4 * b * (y - x * x) + 8 * b * x * x;
      out[1] = -4 * b * x;
      out[2] = 2 * b;
    },
  };
}

/** f = a*x^2/2 - b*y^2/2 + b*y^4/4 (saddle at 0, minima at (0, +-1)); grad = (a*x, b*y*(y^2 - 1)). */
export function saddle(a: number, b: number): Objective {
  check(Number.isFinite(a) && a > 0, `a must be > 0 (got ${a})`);
  check(Number.isFinite(b) && b > 0, `b must be > 0 (got ${b})`);
  return {
    name: 'saddle',
    dim: 2,
    minimizer: null,
    curvatures: null,
    constantGradient: null,
    value: (x, y) => 0.5 * a * x * x - 0.5 * b * y * y + 0.25 * b * y * y * y * y,
    grad: (x, y, out) => {
      out[0] = a * x;
      out[1] = b * y * (y * y - 1);
    },
    hessian: (_x, y, out) => {
      out[0] = a;
      out[1] = 0;
      out[2] = b * (3 * y * y - 1);
    },
  };
}

/** Himmelblau (1972): f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2, four minima with f = 0. */
export function himmelblau(): Objective {
  return {
    name: 'himmelblau',
    dim: 2,
    minimizer: null,
    curvatures: null,
    constantGradient: null,
    value: (x, y) => {
      const p = x * x + y - 11;
      const q = x + y * y - 7;
      return p * p + q * q;
    },
    grad: (x, y, out) => {
      const p = x * x + y - 11;
      const q = x + y * y - 7;
      out[0] = 4 * x * p + 2 * q;
      out[1] = 2 * p + 4 * y * q;
    },
    // f_xx = 4p + 8x^2 + 2, f_xy = 4x + 4y, f_yy = 2 + 4q + 8y^2
    hessian: (x, y, out) => {
      out[0] = 4 * (x * x + y - 11) + 8 * x * x + 2;
      out[1] = 4 * x + 4 * y;
      out[2] = 2 + 4 * (x + y * y - 7) + 8 * y * y;
    },
  };
}

/** Booth: f = (x + 2y - 7)^2 + (2x + y - 5)^2, minimum (1, 3); Hessian [[10, 8], [8, 10]], eigenvalues 2 and 18. */
export function booth(): Objective {
  return {
    name: 'booth',
    dim: 2,
    minimizer: [1, 3],
    curvatures: [2, 18],
    constantGradient: null,
    value: (x, y) => {
      const p = x + 2 * y - 7;
      const q = 2 * x + y - 5;
      return p * p + q * q;
    },
    grad: (x, y, out) => {
      const p = x + 2 * y - 7;
      const q = 2 * x + y - 5;
      out[0] = 2 * p + 4 * q;
      out[1] = 4 * p + 2 * q;
    },
    hessian: (_x, _y, out) => {
      out[0] = 10;
      out[1] = 8;
      out[2] = 10;
    },
  };
}
