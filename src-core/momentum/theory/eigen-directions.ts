import type { Objective } from '../types';

export interface EigenDirection {
  lambda: number;
  /** Unit eigenvector (x, y). */
  vector: [number, number];
}

/**
 * Eigen-directions of a 2-D objective with a constant Hessian H (quadratics):
 * H's columns from gradient differences, H e_k = grad(x* + e_k) - grad(x*)
 * (exact for a quadratic), then the symmetric 2x2 eigenproblem in closed
 * form: lambda = (a + c)/2 -+ sqrt(((a - c)/2)^2 + b^2), angle = atan2(2b, a - c)/2.
 * Ascending lambda. null when the Hessian is not constant or the objective is 1-D.
 */
export function eigenDirections(objective: Objective): EigenDirection[] | null {
  if (objective.dim !== 2 || !objective.curvatures) return null;
  const m = objective.minimizer ?? [0, 0];
  const g0 = new Float64Array(2);
  const gx = new Float64Array(2);
  const gy = new Float64Array(2);
  objective.grad(m[0], m[1], g0);
  objective.grad(m[0] + 1, m[1], gx);
  objective.grad(m[0], m[1] + 1, gy);
  const a = gx[0] - g0[0];
  const c = gy[1] - g0[1];
  const b = 0.5 * (gx[1] - g0[1] + (gy[0] - g0[0]));
  const mean = 0.5 * (a + c);
  const rad = Math.hypot(0.5 * (a - c), b);
  // direction of the larger eigenvalue
  const th = 0.5 * Math.atan2(2 * b, a - c);
  const big: [number, number] = [Math.cos(th), Math.sin(th)];
  const small: [number, number] = [-Math.sin(th), Math.cos(th)];
  return [
    { lambda: mean - rad, vector: small },
    { lambda: mean + rad, vector: big },
  ];
}
