import type { SparseImages } from '../data/sparse-images';
import { RELU, SIGMOID, TANH, type ActCode } from './activation';
import { argmaxRow } from './argmax';
import { lossHead, type LossCode } from './loss';
import type { MlpParams } from './params';
import { checkBatch, forwardSparse, type SparsePass } from './sparse-forward';
import type { Workspace } from './workspace';
import { scatterRows } from './kernels';
import { outputBackward10 } from './output-layer';

/**
 * Loss head on the logits in ws.z for labels of images idx[from .. from+count):
 * returns the mean loss (1/B) sum_b L(z_b, y_b), writes ws.dz = dL/dz (already / B) and ws.correct.
 */
export function lossGradBatch(
  loss: LossCode,
  labels: Uint8Array,
  idx: Int32Array,
  from: number,
  count: number,
  ws: Workspace,
): number {
  if (!Number.isInteger(count) || count < 1 || count > ws.maxBatch)
    throw new RangeError(`lossGradBatch: count must be in [1, ${ws.maxBatch}], got ${count}`);
  if (!Number.isInteger(from) || from < 0 || from + count > idx.length)
    throw new RangeError('lossGradBatch: rows outside the index');
  const O = ws.outputs;
  const z = ws.z;
  const scale = 1 / count;
  let total = 0;
  let correct = 0;
  for (let b = 0; b < count; b++) {
    const y = labels[idx[from + b]];
    const zb = b * O;
    total += lossHead(loss, z, zb, O, y, scale, ws.dz, zb, ws.p);
    if (argmaxRow(z, zb, O) === y) correct++;
  }
  ws.correct = correct;
  return total / count;
}

/**
 * Backward pass from ws.dz (after forwardSparse and lossGradBatch on the same rows), overwriting g:
 * g.b2 = sum_b dz_b, g.w2 = sum_b dz_b a_b^T, dh_b = (W2^T dz_b) * act'(.), g.b1 = sum_b dh_b,
 * g.w1[i, :] = sum_b x_bi dh_b over nonzero x_bi only.
 */
export function backwardSparse(...args: [...Parameters<SparsePass>, g: MlpParams]): void {
  const [p, act, images, idx, from, count, ws, g] = args;
  checkBatch('backwardSparse', p, act, images, idx, from, count, ws);
  if (g.inputs !== p.inputs || g.hidden !== p.hidden || g.outputs !== p.outputs)
    throw new RangeError('backwardSparse: gradient shape does not match the network');
  const H = p.hidden;
  const w2 = p.w2;
  const gw1 = g.w1;
  const gb1 = g.b1;
  const gw2 = g.w2;
  const gb2 = g.b2;
  const a = ws.a;
  const dz = ws.dz;
  const dh = ws.dh;
  const start = images.start;
  const index = images.index;
  const grey = images.grey;
  gw1.fill(0);
  gb1.fill(0);
  gw2.fill(0);
  gb2.fill(0);
  for (let b = 0; b < count; b++) {
    const hb = b * H;
    outputBackward10(dz, b * 10, w2, gw2, gb2, a, dh, hb, H, act === RELU);
    if (act === SIGMOID) {
      for (let j = hb; j < hb + H; j++) dh[j] *= a[j] * (1 - a[j]);
    } else if (act === TANH) {
      for (let j = hb; j < hb + H; j++) dh[j] *= 1 - a[j] * a[j];
    }
    for (let j = 0; j < H; j++) gb1[j] += dh[hb + j];
    const n = idx[from + b];
    scatterRows(dh, hb, H, gw1, index, grey, start[n], start[n + 1]);
  }
}

/** One mini-batch: forward, loss head, backward; returns the mean loss, g = dL/dparams, ws.correct = right answers. */
export function lossGradSparse(
  p: MlpParams,
  act: ActCode,
  loss: LossCode,
  images: SparseImages,
  labels: Uint8Array,
  idx: Int32Array,
  from: number,
  count: number,
  ws: Workspace,
  g: MlpParams,
): number {
  forwardSparse(p, act, images, idx, from, count, ws);
  const l = lossGradBatch(loss, labels, idx, from, count, ws);
  backwardSparse(p, act, images, idx, from, count, ws, g);
  return l;
}
