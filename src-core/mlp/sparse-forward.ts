import type { SparseImages } from '../data/sparse-images';
import { RELU, SIGMOID, TANH, type ActCode } from './activation';
import type { MlpParams } from './params';
import type { Workspace } from './workspace';
import { gatherRows } from './kernels';
import { outputForward10 } from './output-layer';

/** A pass of the sparse path over images idx[from .. from+count), batch activations in ws (10 outputs). */
export type SparsePass = (
  p: MlpParams,
  act: ActCode,
  images: SparseImages,
  idx: Int32Array,
  from: number,
  count: number,
  ws: Workspace,
) => void;

function checkBatch(fn: string, ...[p, , images, idx, from, count, ws]: Parameters<SparsePass>): void {
  if (images.pixels !== p.inputs)
    throw new RangeError(`${fn}: images have ${images.pixels} pixels, the network ${p.inputs} inputs`);
  if (p.outputs !== 10) throw new RangeError(`${fn}: the fast path has 10 outputs, the network ${p.outputs}`);
  if (ws.hidden !== p.hidden || ws.outputs !== p.outputs)
    throw new RangeError(`${fn}: workspace shape does not match the network`);
  if (!Number.isInteger(count) || count < 1 || count > ws.maxBatch)
    throw new RangeError(`${fn}: count must be in [1, ${ws.maxBatch}], got ${count}`);
  if (!Number.isInteger(from) || from < 0 || from + count > idx.length)
    throw new RangeError(`${fn}: rows [${from}, ${from + count}) outside an index of length ${idx.length}`);
}

/**
 * Forward pass on images idx[from .. from+count) over their nonzero pixels only:
 * ws.a[b] = act(b1 + sum_{i: x_i != 0} x_i W1[i, :]),  ws.z[b] = b2 + W2 ws.a[b]. (10 outputs.)
 */
export const forwardSparse: SparsePass = (p, act, images, idx, from, count, ws) => {
  checkBatch('forwardSparse', p, act, images, idx, from, count, ws);
  const H = p.hidden;
  const w1 = p.w1;
  const b1 = p.b1;
  const w2 = p.w2;
  const b2 = p.b2;
  const a = ws.a;
  const z = ws.z;
  const start = images.start;
  const index = images.index;
  const grey = images.grey;
  for (let b = 0; b < count; b++) {
    const n = idx[from + b];
    if (n < 0 || n >= images.count) throw new RangeError(`forwardSparse: image index ${n} out of range`);
    const hb = b * H;
    for (let j = 0; j < H; j++) a[hb + j] = b1[j];
    gatherRows(a, hb, H, w1, index, grey, start[n], start[n + 1]);
    if (act === RELU) {
      for (let j = hb; j < hb + H; j++) if (a[j] < 0) a[j] = 0;
    } else if (act === SIGMOID) {
      for (let j = hb; j < hb + H; j++) a[j] = 1 / (1 + Math.exp(-a[j]));
    } else if (act === TANH) {
      for (let j = hb; j < hb + H; j++) a[j] = Math.tanh(a[j]);
    }
    outputForward10(z, b * 10, w2, b2, a, hb, H);
  }
};

export { checkBatch };
