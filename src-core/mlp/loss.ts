import type { LossKind } from '../contracts/train-config';

// The loss head on one example's logits z (length n), label y:
//   'ce'  softmax cross-entropy  L = logsumexp(z) - z_y                       dL/dz_k = p_k - [k = y]
//   'mse' squared error of the softmax probabilities against the one-hot target,
//         summed over the classes:  L = sum_k (p_k - [k = y])^2,             dL/dz_j = p_j (e_j - sum_k p_k e_k), e_k = 2 (p_k - [k = y])
// with p = softmax(z) computed as exp(z - max z) / sum (log-sum-exp stable).
// A mini-batch loss is the mean over its examples. (PyTorch equivalent of 'mse':
// MSELoss(reduction='sum')(softmax(z), one_hot(y)) / B, i.e. 10 x nn.MSELoss() with its default mean.)

export const CE = 0;
export const MSE = 1;
export type LossCode = typeof CE | typeof MSE;

/** The code of a loss name. */
export function lossCode(l: LossKind): LossCode {
  if (l === 'ce') return CE;
  if (l === 'mse') return MSE;
  throw new RangeError(`unknown loss ${String(l)}`);
}

/** p = softmax(z[off, off+n)) into p[pOff, pOff+n) (may alias z) via exp(z - max z) / sum; returns log(sum exp(z - max z)) + max z = logsumexp(z). */
export function softmaxRow(
  z: Float64Array | Float32Array,
  off: number,
  n: number,
  p: Float64Array | Float32Array,
  pOff: number,
): number {
  if (n < 1 || off < 0 || off + n > z.length || pOff < 0 || pOff + n > p.length)
    throw new RangeError('softmaxRow: bad offsets');
  let m = z[off];
  for (let k = 1; k < n; k++) if (z[off + k] > m) m = z[off + k];
  let s = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(z[off + k] - m);
    p[pOff + k] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let k = 0; k < n; k++) p[pOff + k] *= inv;
  return m + Math.log(s);
}

/**
 * One example's loss L(z, y) (see the header) and dz[dzOff + k] = scale * dL/dz_k.
 * p is scratch of length >= n (receives softmax(z)).
 */
export function lossHead(
  kind: LossCode,
  z: Float64Array,
  off: number,
  n: number,
  y: number,
  scale: number,
  dz: Float64Array,
  dzOff: number,
  p: Float64Array,
): number {
  if (!(y >= 0 && y < n) || !Number.isInteger(y)) throw new RangeError(`lossHead: label ${y} is not in [0, ${n})`);
  if (dzOff < 0 || dzOff + n > dz.length || p.length < n) throw new RangeError('lossHead: bad offsets');
  const lse = softmaxRow(z, off, n, p, 0);
  if (kind === CE) {
    for (let k = 0; k < n; k++) dz[dzOff + k] = scale * (k === y ? p[k] - 1 : p[k]);
    return lse - z[off + y];
  }
  if (kind === MSE) {
    let loss = 0;
    let pe = 0;
    for (let k = 0; k < n; k++) {
      const r = k === y ? p[k] - 1 : p[k];
      loss += r * r;
      pe += p[k] * 2 * r;
    }
    for (let k = 0; k < n; k++) {
      const e = 2 * (k === y ? p[k] - 1 : p[k]);
      dz[dzOff + k] = scale * p[k] * (e - pe);
    }
    return loss;
  }
  throw new RangeError(`lossHead: unknown loss code ${String(kind)}`);
}
