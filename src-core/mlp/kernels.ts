import { GREY_TO_UNIT } from '../data/sparse-images';

// The two hot loops of the sparse first layer, register-blocked: eight hidden
// units at a time live in local variables while the image's nonzero pixels
// stream past, so each nonzero costs eight multiply-adds per block. Per output
// element the sum runs over the nonzeros in the same order as a plain loop
// would, so results do not depend on H's divisibility by 8.
//
// The 8-wide blocks are small separate functions on purpose: measured on V8
// (Node 20), putting the argument check or the remainder loop in the same
// function as the unrolled loop made it about 1.5x slower.
//
// The weights (gather) and the gradient (scatter) may be float32 (the lab's
// reference training path) or float64 (the Hessian-vector product's reference
// loops, train/sharpness/wasm/first-layer.ts): every product and sum is taken
// in float64 either way, so one loop serves both.

/** The weight or gradient array of a first layer: float32 in training, float64 in the Hessian-vector product. */
type LayerArray = Float32Array | Float64Array;

/**
 * The shape both loops share: between one example's hidden rows (rows[o .. o + H), float64) and the first layer's
 * rows of its nonzero pixels (layer, I x H), over the nonzeros e in [e0, e1): pixel index[e], x_e = unit[grey[e]].
 */
type SparseRows = (
  rows: Float64Array,
  o: number,
  H: number,
  layer: LayerArray,
  index: Uint16Array,
  grey: Uint8Array,
  e0: number,
  e1: number,
) => void;

/** The same over hidden units j .. j + 8 only, with the grey table passed in (no checks: callers check). */
type SparseBlock8 = (...args: [...Parameters<SparseRows>, unit: Float32Array, j: number]) => void;

/** out[o + j .. o + j + 8) += sum_e x_e * w[index[e]*H + j .. + 8). */
const gatherBlock8: SparseBlock8 = (out, o, H, w, index, grey, e0, e1, unit, j) => {
  let a0 = out[o + j],
    a1 = out[o + j + 1],
    a2 = out[o + j + 2],
    a3 = out[o + j + 3];
  let a4 = out[o + j + 4],
    a5 = out[o + j + 5],
    a6 = out[o + j + 6],
    a7 = out[o + j + 7];
  for (let e = e0; e < e1; e++) {
    const x = unit[grey[e]];
    const r = index[e] * H + j;
    a0 += x * w[r];
    a1 += x * w[r + 1];
    a2 += x * w[r + 2];
    a3 += x * w[r + 3];
    a4 += x * w[r + 4];
    a5 += x * w[r + 5];
    a6 += x * w[r + 6];
    a7 += x * w[r + 7];
  }
  out[o + j] = a0;
  out[o + j + 1] = a1;
  out[o + j + 2] = a2;
  out[o + j + 3] = a3;
  out[o + j + 4] = a4;
  out[o + j + 5] = a5;
  out[o + j + 6] = a6;
  out[o + j + 7] = a7;
};

/** out[o + j] += sum_{e in [e0, e1)} x_e * w[index[e]*H + j] for j < H, x_e = GREY_TO_UNIT[grey[e]]. */
export const gatherRows: SparseRows = (out, o, H, w, index, grey, e0, e1) => {
  if (o < 0 || o + H > out.length || e0 < 0 || e1 > index.length || e1 > grey.length)
    throw new RangeError('gatherRows: offsets out of range');
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) gatherBlock8(out, o, H, w, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    let a0 = out[o + j];
    for (let e = e0; e < e1; e++) a0 += unit[grey[e]] * w[index[e] * H + j];
    out[o + j] = a0;
  }
};

/** g[index[e]*H + j .. + 8) += x_e * d[o + j .. + 8). */
const scatterBlock8: SparseBlock8 = (d, o, H, g, index, grey, e0, e1, unit, j) => {
  const d0 = d[o + j],
    d1 = d[o + j + 1],
    d2 = d[o + j + 2],
    d3 = d[o + j + 3];
  const d4 = d[o + j + 4],
    d5 = d[o + j + 5],
    d6 = d[o + j + 6],
    d7 = d[o + j + 7];
  for (let e = e0; e < e1; e++) {
    const x = unit[grey[e]];
    const r = index[e] * H + j;
    g[r] += x * d0;
    g[r + 1] += x * d1;
    g[r + 2] += x * d2;
    g[r + 3] += x * d3;
    g[r + 4] += x * d4;
    g[r + 5] += x * d5;
    g[r + 6] += x * d6;
    g[r + 7] += x * d7;
  }
};

/** g[index[e]*H + j] += x_e * d[o + j] for e in [e0, e1), j < H, x_e = GREY_TO_UNIT[grey[e]] (rank-1 update on the nonzero rows). */
export const scatterRows: SparseRows = (d, o, H, g, index, grey, e0, e1) => {
  if (o < 0 || o + H > d.length || e0 < 0 || e1 > index.length || e1 > grey.length)
    throw new RangeError('scatterRows: offsets out of range');
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) scatterBlock8(d, o, H, g, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    const d0 = d[o + j];
    for (let e = e0; e < e1; e++) g[index[e] * H + j] += unit[grey[e]] * d0;
  }
};
