import type { Objective } from '../types';

export interface EigenDirection {
  lambda: number;
  /** Unit eigenvector (x, y). */
  vector: [number, number];
}

/**
 * Eigen-directions of a 2-D objective with a constant Hessian H (quadratics),
 * from its closed-form Hessian [[a, b], [b, c]] and the symmetric 2x2
 * eigenproblem: lambda = (a + c)/2 -+ sqrt(((a - c)/2)^2 + b^2), angle =
 * atan2(2b, a - c)/2. Ascending lambda. null when the Hessian is not
 * constant or the objective is 1-D.
 */
export function eigenDirections(objective: Objective): EigenDirection[] | null {
  if (objective.dim !== 2 || !objective.curvatures) return null;
  const m = objective.minimizer ?? [0, 0];
  const H = new Float64Array(3);
  objective.hessian(m[0], m[1], H);
  const [a, b, c] = H;
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
