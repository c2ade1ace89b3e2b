import type { Objective } from '../types';

// Local curvature: the Hessian's eigenvalues at a point. Near a point p a
// smooth f is f(p) + g.(x - p) + (x - p)^T H (x - p)/2, so heavy-ball there
// behaves, direction by direction, like the quadratic with lambda = each
// eigenvalue of H(p): h = lr*lambda places it on the phase diagram. Only a
// positive eigenvalue gives such a point; a negative one pushes the iterate
// away (no (h, d) on the map describes it).

/** Hessian eigenvalues at (x, y), ascending: [f''(x)] in 1-D; the symmetric 2x2 closed form in 2-D. */
export function localCurvatures(objective: Objective, x: number, y: number): number[] {
  const out = new Float64Array(3);
  objective.hessian(x, y, out);
  if (objective.dim === 1) return [out[0]];
  const [a, b, c] = out;
  const mean = 0.5 * (a + c);
  const rad = Math.hypot(0.5 * (a - c), b);
  return [mean - rad, mean + rad];
}
