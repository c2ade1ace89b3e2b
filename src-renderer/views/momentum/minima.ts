import type { Objective } from '../../../src-core/momentum/types';

// The minima the contour plot marks: the objective's known minimizer, or,
// for objectives with several minima, each of them. Himmelblau's are the
// four zeros of f (one exact, (3, 2); the others found numerically and
// refined here by Newton's method on the gradient); the saddle objective's
// are (0, +-1) (grad = (a x, b y (y^2 - 1))).

const HIMMELBLAU_GUESSES: [number, number][] = [
  [3, 2],
  [-2.805, 3.131],
  [-3.779, -3.283],
  [3.584, -1.848],
];

/** Newton steps on grad f = 0 with a central-difference Jacobian of the gradient. */
function refine(obj: Objective, p: [number, number]): [number, number] {
  let [x, y] = p;
  const g = new Float64Array(2);
  const gx = new Float64Array(2);
  const gy = new Float64Array(2);
  for (let it = 0; it < 20; it++) {
    obj.grad(x, y, g);
    const e = 1e-6;
    obj.grad(x + e, y, gx);
    const a = gx[0];
    const c = gx[1];
    obj.grad(x - e, y, gx);
    obj.grad(x, y + e, gy);
    const b = gy[0];
    const dd = gy[1];
    obj.grad(x, y - e, gy);
    const J = [(a - gx[0]) / (2 * e), (b - gy[0]) / (2 * e), (c - gx[1]) / (2 * e), (dd - gy[1]) / (2 * e)];
    const det = J[0] * J[3] - J[1] * J[2];
    if (!Number.isFinite(det) || det === 0) break;
    const sx = (J[3] * g[0] - J[1] * g[1]) / det;
    const sy = (-J[2] * g[0] + J[0] * g[1]) / det;
    x -= sx;
    y -= sy;
    if (Math.hypot(sx, sy) < 1e-13 * (1 + Math.hypot(x, y))) break;
  }
  return [x, y];
}

/** Points to mark as minima on a 2-D objective's contour plot. */
export function minimaOf(obj: Objective): [number, number][] {
  if (obj.dim !== 2) return [];
  if (obj.minimizer) return [[obj.minimizer[0], obj.minimizer[1]]];
  if (obj.name === 'himmelblau') return HIMMELBLAU_GUESSES.map((p) => refine(obj, p));
  if (obj.name === 'saddle')
    return [
      [0, 1],
      [0, -1],
    ];
  return [];
}
