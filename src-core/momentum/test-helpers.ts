import type { SimOptimizer } from '../contracts/sim-config';

// Shared by the tests beside this file (no test code runs in the app).

export const hb = (lr: number, d: number): SimOptimizer => ({ kind: 'heavy-ball', lr, d, beta2: 0.999, eps: 1e-8 });
export const opt = (kind: SimOptimizer['kind'], lr: number, d: number): SimOptimizer => ({
  kind,
  lr,
  d,
  beta2: 0.999,
  eps: 1e-8,
});

type M2 = [number, number, number, number]; // row-major a b / c e

const mul = (p: M2, q: M2): M2 => [
  p[0] * q[0] + p[1] * q[2],
  p[0] * q[1] + p[1] * q[3],
  p[2] * q[0] + p[3] * q[2],
  p[2] * q[1] + p[3] * q[3],
];

/** M^t by binary powering (a different algorithm from stepping t times). */
export function matPow(m: M2, t: number): M2 {
  let result: M2 = [1, 0, 0, 1];
  let base = m;
  let e = t;
  while (e > 0) {
    if (e & 1) result = mul(result, base);
    base = mul(base, base);
    e >>= 1;
  }
  return result;
}

/** (v_t, x_t) = M^t (v0, x0) for M = [[d, -h], [d, 1 - h]]. */
export function closedFormState(h: number, d: number, v0: number, x0: number, t: number): [number, number] {
  const p = matPow([d, -h, d, 1 - h], t);
  return [p[0] * v0 + p[1] * x0, p[2] * v0 + p[3] * x0];
}
