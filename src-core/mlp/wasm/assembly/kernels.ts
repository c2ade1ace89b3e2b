// @ts-nocheck -- AssemblyScript source (compiled by scripts/build-wasm.mjs with asc), not TypeScript for tsc.
//
// WebAssembly SIMD kernels of the MLP's fast path (784 -> H -> 10). Every
// argument is a byte offset into the one (shared) linear memory the JavaScript
// side lays out (src-core/mlp/wasm/fast-net.ts); nothing here allocates.
// Per output element the sums run over the same terms in the same order as the
// TypeScript reference kernels (src-core/mlp/kernels.ts, output-layer.ts),
// but in float32 lanes: results agree up to float32 rounding and summation order.
// The optimizer steps compute in float64 exactly as HeavyBall.step does, so
// they agree with it bit for bit.

// Host functions (imported from module "kernels"): Math.exp, Math.tanh and Math.log, so the loss heads below
// compute exactly what the TypeScript heads (src-core/mlp/loss.ts) compute, bit for bit.
declare function hostExp(x: f64): f64;
declare function hostTanh(x: f64): f64;
declare function hostLog(x: f64): f64;

const RELU: i32 = 0;
const SIGMOID: i32 = 1;
const TANH: i32 = 2;

// Nonzero pixels are packed one u32 each: (byte offset of the pixel's row of W1, i.e. pixel * H * 4) << 8 | grey level,
// so one load gives both the row and x = unit[grey] (grey / 255 as f32).
// out[j] += sum_{e in [e0, e1)} x_e * w1[row_e + j], j < H (f32 lanes; 32 lanes per pass over the nonzeros).
function gather(out: usize, H: i32, w1: usize, packed: usize, unit: usize, e0: i32, e1: i32): void {
  rowsPass(false, out, H, w1, packed, unit, e0, e1);
}

// g[row_e + j] += x_e * d[j] for e in [e0, e1), j < H; marks each row touched (mark[row byte offset >> 2] = 1,
// the row's byte offset appended to list, count at listLen).
function scatter(g: usize, H: i32, d: usize, packed: usize, unit: usize, e0: i32, e1: i32, mark: usize, list: usize, listLen: usize): void {
  let len = load<i32>(listLen);
  for (let e = e0; e < e1; e++) {
    const off = load<u32>(packed + (<usize>e << 2)) >>> 8;
    if (load<u8>(mark + (off >>> 2)) == 0) {
      store<u8>(mark + (off >>> 2), 1);
      store<i32>(list + (<usize>len << 2), <i32>off);
      len++;
    }
  }
  store<i32>(listLen, len);
  rowsPass(true, d, H, g, packed, unit, e0, e1);
}

// The one walk gather and scatter make: for every hidden unit j < H (32 lanes per pass, then 4, then 1), every
// nonzero e in [e0, e1) in order, between a = rows[j] and l = layer[row_e + j] (f32): gather (scatter false)
// a += x_e * l; scatter l += x_e * a. Inlined with a constant `scatter`, so each caller compiles to its own loop
// with no branch on it.
@inline
function rowsPass(
  scatter: bool, rows: usize, H: i32, layer: usize, packed: usize, unit: usize, e0: i32, e1: i32
): void {
  let j = 0;
  for (; j + 32 <= H; j += 32) {
    const o = rows + (<usize>j << 2);
    let a0 = v128.load(o), a1 = v128.load(o, 16), a2 = v128.load(o, 32), a3 = v128.load(o, 48);
    let a4 = v128.load(o, 64), a5 = v128.load(o, 80), a6 = v128.load(o, 96), a7 = v128.load(o, 112);
    const lj = layer + (<usize>j << 2);
    for (let e = e0; e < e1; e++) {
      const v = load<u32>(packed + (<usize>e << 2));
      const x = f32x4.splat(load<f32>(unit + (<usize>(v & 255) << 2)));
      const r = lj + <usize>(v >>> 8);
      if (scatter) {
        v128.store(r, f32x4.add(v128.load(r), f32x4.mul(x, a0)));
        v128.store(r, f32x4.add(v128.load(r, 16), f32x4.mul(x, a1)), 16);
        v128.store(r, f32x4.add(v128.load(r, 32), f32x4.mul(x, a2)), 32);
        v128.store(r, f32x4.add(v128.load(r, 48), f32x4.mul(x, a3)), 48);
        v128.store(r, f32x4.add(v128.load(r, 64), f32x4.mul(x, a4)), 64);
        v128.store(r, f32x4.add(v128.load(r, 80), f32x4.mul(x, a5)), 80);
        v128.store(r, f32x4.add(v128.load(r, 96), f32x4.mul(x, a6)), 96);
        v128.store(r, f32x4.add(v128.load(r, 112), f32x4.mul(x, a7)), 112);
      } else {
        a0 = f32x4.add(a0, f32x4.mul(x, v128.load(r)));
        a1 = f32x4.add(a1, f32x4.mul(x, v128.load(r, 16)));
        a2 = f32x4.add(a2, f32x4.mul(x, v128.load(r, 32)));
        a3 = f32x4.add(a3, f32x4.mul(x, v128.load(r, 48)));
        a4 = f32x4.add(a4, f32x4.mul(x, v128.load(r, 64)));
        a5 = f32x4.add(a5, f32x4.mul(x, v128.load(r, 80)));
        a6 = f32x4.add(a6, f32x4.mul(x, v128.load(r, 96)));
        a7 = f32x4.add(a7, f32x4.mul(x, v128.load(r, 112)));
      }
    }
    if (!scatter) {
      v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
      v128.store(o, a4, 64); v128.store(o, a5, 80); v128.store(o, a6, 96); v128.store(o, a7, 112);
    }
  }
  for (; j + 4 <= H; j += 4) {
    const o = rows + (<usize>j << 2);
    let a0 = v128.load(o);
    const lj = layer + (<usize>j << 2);
    for (let e = e0; e < e1; e++) {
      const v = load<u32>(packed + (<usize>e << 2));
      const x = f32x4.splat(load<f32>(unit + (<usize>(v & 255) << 2)));
      const r = lj + <usize>(v >>> 8);
      if (scatter) v128.store(r, f32x4.add(v128.load(r), f32x4.mul(x, a0)));
      else a0 = f32x4.add(a0, f32x4.mul(x, v128.load(r)));
    }
    if (!scatter) v128.store(o, a0);
  }
  for (; j < H; j++) {
    const o = rows + (<usize>j << 2);
    let a0 = load<f32>(o);
    const lj = layer + (<usize>j << 2);
    for (let e = e0; e < e1; e++) {
      const v = load<u32>(packed + (<usize>e << 2));
      const r = lj + <usize>(v >>> 8);
      if (scatter) store<f32>(r, load<f32>(r) + load<f32>(unit + (<usize>(v & 255) << 2)) * a0);
      else a0 += load<f32>(unit + (<usize>(v & 255) << 2)) * load<f32>(r);
    }
    if (!scatter) store<f32>(o, a0);
  }
}

// a = act(a) on H floats: relu max(0, a) (NaN stays NaN), sigmoid 1/(1+e^-a), tanh.
function activate(a: usize, H: i32, act: i32): void {
  if (act == RELU) {
    const zero = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const p = a + (<usize>j << 2);
      const v = v128.load(p);
      v128.store(p, v128.bitselect(zero, v, f32x4.lt(v, zero)));
    }
    for (; j < H; j++) {
      const p = a + (<usize>j << 2);
      if (load<f32>(p) < 0) store<f32>(p, 0);
    }
  } else if (act == SIGMOID) {
    for (let j = 0; j < H; j++) {
      const p = a + (<usize>j << 2);
      store<f32>(p, <f32>(1.0 / (1.0 + hostExp(-<f64>load<f32>(p)))));
    }
  } else {
    for (let j = 0; j < H; j++) {
      const p = a + (<usize>j << 2);
      store<f32>(p, <f32>hostTanh(<f64>load<f32>(p)));
    }
  }
}

// Horizontal sum of four f32 lanes ((l0 + l1) + (l2 + l3)).
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Forward pass of count images idx[0 .. count) (i32 image numbers at idx):
 * a[b] = act(b1 + sum over nonzero pixels x_i W1[i, :]),  z[b] = b2 + W2 a[b] (10 outputs, w2 row-major 10 x H).
 */
export function forward(a: usize, z: usize, H: i32, w1: usize, b1: usize, w2: usize, b2: usize, start: usize, packed: usize, unit: usize, idx: usize, count: i32, act: i32): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < count; b++) {
    const n = <usize>load<i32>(idx + (<usize>b << 2));
    const e0 = load<i32>(start + (n << 2));
    const e1 = load<i32>(start + (n << 2), 4);
    const ab = a + <usize>b * hb;
    memory.copy(ab, b1, hb);
    gather(ab, H, w1, packed, unit, e0, e1);
    activate(ab, H, act);
    outputRow(ab, z + <usize>b * 40, H, w2, b2);
  }
}

/**
 * forward() after the first layer's sums (the native kernels' gather): a[b] already holds b1 + the image's sum;
 * a[b] = act(a[b]), z[b] = b2 + W2 a[b] for b < count, as forward() finishes each image.
 */
export function forwardRows(a: usize, z: usize, H: i32, w2: usize, b2: usize, count: i32, act: i32): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < count; b++) {
    const ab = a + <usize>b * hb;
    activate(ab, H, act);
    outputRow(ab, z + <usize>b * 40, H, w2, b2);
  }
}

// The 10-output layer of one image: zb[k] = b2[k] + sum_j w2[k, j] ab[j] (4 lanes, then their horizontal sum and the tail).
@inline
function outputRow(ab: usize, zb: usize, H: i32, w2: usize, b2: usize): void {
  const hb = <usize>H << 2;
  for (let k = 0; k < 10; k++) {
    const wk = w2 + <usize>k * hb;
    let s = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= H; j += 4) s = f32x4.add(s, f32x4.mul(v128.load(wk + (<usize>j << 2)), v128.load(ab + (<usize>j << 2))));
    let t = hsum(s);
    for (; j < H; j++) t += load<f32>(wk + (<usize>j << 2)) * load<f32>(ab + (<usize>j << 2));
    store<f32>(zb + (<usize>k << 2), load<f32>(b2 + (<usize>k << 2)) + t);
  }
}

/**
 * Backward pass from dz (count x 10, already divided by the batch size) after forward on the same images:
 * gb2 = sum_b dz_b, gw2 = sum_b dz_b a_b^T, dh_b = (W2^T dz_b) * act'(a_b), gb1 = sum_b dh_b, and
 * gw1[i, :] += x_bi dh_b over nonzero pixels (gw1 must be zero on entry; the touched rows are listed for the step).
 */
export function backward(a: usize, dz: usize, dh: usize, H: i32, w2: usize, gw1: usize, gb1: usize, gw2: usize, gb2: usize, start: usize, packed: usize, unit: usize, idx: usize, count: i32, act: i32, mark: usize, list: usize, listLen: usize): void {
  const hb = <usize>H << 2;
  memory.fill(gb1, 0, hb);
  memory.fill(gw2, 0, hb * 10);
  memory.fill(gb2, 0, 40);
  for (let b = 0; b < count; b++) {
    backRow(a + <usize>b * hb, dz + <usize>b * 40, dh + <usize>b * hb, H, w2, gb1, gw2, gb2, act);
    const n = <usize>load<i32>(idx + (<usize>b << 2));
    scatter(gw1, H, dh + <usize>b * hb, packed, unit, load<i32>(start + (n << 2)), load<i32>(start + (n << 2), 4), mark, list, listLen);
  }
}

/**
 * backward() without the first layer's gradient (the native kernels' scatter does it): gb2, gw2, dh and gb1 as
 * backward() leaves them. backward() interleaves each image's row with its scatter; they touch disjoint memory.
 */
export function backwardRows(a: usize, dz: usize, dh: usize, H: i32, w2: usize, gb1: usize, gw2: usize, gb2: usize, count: i32, act: i32): void {
  const hb = <usize>H << 2;
  memory.fill(gb1, 0, hb);
  memory.fill(gw2, 0, hb * 10);
  memory.fill(gb2, 0, 40);
  for (let b = 0; b < count; b++) backRow(a + <usize>b * hb, dz + <usize>b * 40, dh + <usize>b * hb, H, w2, gb1, gw2, gb2, act);
}

// One image's backward pass below the output: gb2 += dz_b, gw2 += dz_b a_b^T, dh_b = (W2^T dz_b) * act'(a_b), gb1 += dh_b.
@inline
function backRow(ab: usize, dzb: usize, dhb: usize, H: i32, w2: usize, gb1: usize, gw2: usize, gb2: usize, act: i32): void {
  const hb = <usize>H << 2;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  {
    memory.fill(dhb, 0, hb);
    for (let k = 0; k < 10; k++) {
      const dk = load<f32>(dzb + (<usize>k << 2));
      store<f32>(gb2 + (<usize>k << 2), load<f32>(gb2 + (<usize>k << 2)) + dk);
      const dv = f32x4.splat(dk);
      const wk = w2 + <usize>k * hb;
      const gk = gw2 + <usize>k * hb;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        v128.store(gk + o, f32x4.add(v128.load(gk + o), f32x4.mul(dv, v128.load(ab + o))));
        v128.store(dhb + o, f32x4.add(v128.load(dhb + o), f32x4.mul(dv, v128.load(wk + o))));
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        store<f32>(gk + o, load<f32>(gk + o) + dk * load<f32>(ab + o));
        store<f32>(dhb + o, load<f32>(dhb + o) + dk * load<f32>(wk + o));
      }
    }
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const av = v128.load(ab + o);
      let d = v128.load(dhb + o);
      if (act == RELU) d = v128.and(d, f32x4.gt(av, zero));
      else if (act == SIGMOID) d = f32x4.mul(d, f32x4.mul(av, f32x4.sub(one, av)));
      else d = f32x4.mul(d, f32x4.sub(one, f32x4.mul(av, av)));
      v128.store(dhb + o, d);
      v128.store(gb1 + o, f32x4.add(v128.load(gb1 + o), d));
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const av = load<f32>(ab + o);
      let d = load<f32>(dhb + o);
      if (act == RELU) d = av > 0 ? d : 0;
      else if (act == SIGMOID) d = d * (av * (1 - av));
      else d = d * (1 - av * av);
      store<f32>(dhb + o, d);
      store<f32>(gb1 + o, load<f32>(gb1 + o) + d);
    }
  }
}

/**
 * Heavy-ball step on n floats, in float64 exactly as HeavyBall.step:  v <- d*v - lr*g (stored as f32);  w <- f32(w + (d*v - lr*g));
 * with d = 0 (plain SGD) v is neither read nor written. Zeroes g. Returns 1 if every new w is finite, else 0.
 */
export function step(w: usize, g: usize, v: usize, n: i32, lr: f64, d: f64): i32 {
  const lrv = f64x2.splat(lr);
  const dv = f64x2.splat(d);
  const zero = v128.splat<i32>(0);
  let bad = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g4 = v128.load(g + o);
    const w4 = v128.load(w + o);
    const glo = f64x2.promote_low_f32x4(g4);
    const ghi = f64x2.promote_low_f32x4(v128.shuffle<i32>(g4, g4, 2, 3, 0, 1));
    let vlo: v128, vhi: v128;
    if (d == 0) {
      vlo = f64x2.mul(f64x2.neg(lrv), glo);
      vhi = f64x2.mul(f64x2.neg(lrv), ghi);
    } else {
      const v4 = v128.load(v + o);
      vlo = f64x2.sub(f64x2.mul(dv, f64x2.promote_low_f32x4(v4)), f64x2.mul(lrv, glo));
      vhi = f64x2.sub(f64x2.mul(dv, f64x2.promote_low_f32x4(v128.shuffle<i32>(v4, v4, 2, 3, 0, 1))), f64x2.mul(lrv, ghi));
      const vlo32 = f32x4.demote_f64x2_zero(vlo);
      const vhi32 = f32x4.demote_f64x2_zero(vhi);
      v128.store(v + o, v128.shuffle<i32>(vlo32, vhi32, 0, 1, 4, 5));
    }
    const wlo = f32x4.demote_f64x2_zero(f64x2.add(f64x2.promote_low_f32x4(w4), vlo));
    const whi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.promote_low_f32x4(v128.shuffle<i32>(w4, w4, 2, 3, 0, 1)), vhi));
    const nw = v128.shuffle<i32>(wlo, whi, 0, 1, 4, 5);
    v128.store(w + o, nw);
    v128.store(g + o, zero);
    bad = f32x4.add(bad, f32x4.sub(nw, nw));
  }
  let ok = f32x4.extract_lane(bad, 0) == 0 && f32x4.extract_lane(bad, 1) == 0 && f32x4.extract_lane(bad, 2) == 0 && f32x4.extract_lane(bad, 3) == 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(g + o);
    let vi: f64;
    if (d == 0) vi = -lr * gi;
    else {
      vi = d * <f64>load<f32>(v + o) - lr * gi;
      store<f32>(v + o, <f32>vi);
    }
    const nw = <f32>(<f64>load<f32>(w + o) + vi);
    store<f32>(w + o, nw);
    store<f32>(g + o, 0);
    if (!isFinite<f32>(nw)) ok = false;
  }
  return ok ? 1 : 0;
}

/** step() on the rows (byte offsets) list[0 .. len) of an H-wide matrix (the rows a backward pass touched); clears their marks. Returns 1 if all finite. */
export function stepRows(w: usize, g: usize, v: usize, H: i32, lr: f64, d: f64, mark: usize, list: usize, listLen: usize): i32 {
  const len = load<i32>(listLen);
  let ok = 1;
  for (let r = 0; r < len; r++) {
    const off = <usize>load<i32>(list + (<usize>r << 2));
    ok &= step(w + off, g + off, v + off, H, lr, d);
    store<u8>(mark + (off >>> 2), 0);
  }
  store<i32>(listLen, 0);
  return ok;
}

// ---- Several models per step (a study's runs that share shapes and batch order) ----
//
// K models of hidden width H step together on one batch: their first layers side by side, W1 row i holding model 0's
// H weights, then model 1's, ... (K * H wide; the packed row offsets are pixel * K * H * 4), b1, a, dh, gw1 and gb1
// likewise K * H wide; model m's w2 (10 x H) at w2 + m * 10 * H * 4, b2 at b2 + m * 40, and its logits (and dz) at
// z + m * zStride. A lane's sum never depends on its neighbours, and per model every sum runs over the same terms in
// the same order as forward(), backward(), step() and stepRows() on that model alone: each model's numbers are
// those of its own run, bit for bit. The nonzeros of each image are read once for all K models.

/** forward() of K models side by side on count images idx[0 .. count) (the same arguments, then K and zStride). */
export function forwardMany(
  a: usize, z: usize, H: i32, w1: usize, b1: usize, w2: usize, b2: usize,
  start: usize, packed: usize, unit: usize, idx: usize, count: i32, act: i32, K: i32, zStride: usize,
): void {
  const hb = <usize>H << 2;
  const kb = hb * <usize>K;
  for (let b = 0; b < count; b++) {
    const n = <usize>load<i32>(idx + (<usize>b << 2));
    const ab = a + <usize>b * kb;
    memory.copy(ab, b1, kb);
    gather(ab, H * K, w1, packed, unit, load<i32>(start + (n << 2)), load<i32>(start + (n << 2), 4));
    activate(ab, H * K, act);
    for (let m = 0; m < K; m++) {
      const zb = z + <usize>m * zStride + <usize>b * 40;
      outputRow(ab + <usize>m * hb, zb, H, w2 + <usize>m * 10 * hb, b2 + <usize>m * 40);
    }
  }
}

/** backward() of K models side by side after forwardMany on the same images (backward's arguments, then K, zStride). */
export function backwardMany(
  a: usize, dz: usize, dh: usize, H: i32, w2: usize, gw1: usize, gb1: usize, gw2: usize, gb2: usize,
  start: usize, packed: usize, unit: usize, idx: usize, count: i32, act: i32, mark: usize, list: usize, listLen: usize,
  K: i32, zStride: usize,
): void {
  const hb = <usize>H << 2;
  const kb = hb * <usize>K;
  memory.fill(gb1, 0, kb);
  memory.fill(gw2, 0, kb * 10);
  memory.fill(gb2, 0, <usize>K * 40);
  for (let b = 0; b < count; b++) {
    const ab = a + <usize>b * kb;
    const dhb = dh + <usize>b * kb;
    for (let m = 0; m < K; m++) {
      const mo = <usize>m * hb;
      const dzb = dz + <usize>m * zStride + <usize>b * 40;
      backRow(ab + mo, dzb, dhb + mo, H, w2 + mo * 10, gb1 + mo, gw2 + mo * 10, gb2 + <usize>m * 40, act);
    }
    const n = <usize>load<i32>(idx + (<usize>b << 2));
    const e0 = load<i32>(start + (n << 2));
    scatter(gw1, H * K, dhb, packed, unit, e0, load<i32>(start + (n << 2), 4), mark, list, listLen);
  }
}

/**
 * The first-layer step of K models side by side, each as FastNet.stepHeavyBall steps its own: hyper holds (lr, d) per
 * model (two f64 each). A model with d = 0 steps the rows the last backwardMany touched (stepRows), one with d != 0
 * every row (step). ok (one i32 per model) is set to 0 for a model whose stepped weights are not all finite. Clears the
 * touched-row list and its marks.
 */
export function stepFirstMany(
  w: usize, g: usize, v: usize, I: i32, H: i32, K: i32, hyper: usize,
  mark: usize, list: usize, listLen: usize, ok: usize,
): void {
  const hb = <usize>H << 2;
  const kb = hb * <usize>K;
  let allPlain = true;
  for (let m = 0; m < K; m++) if (load<f64>(hyper + (<usize>m << 4), 8) != 0) allPlain = false;
  const len = load<i32>(listLen);
  if (allPlain) {
    for (let r = 0; r < len; r++) {
      const off = <usize>load<i32>(list + (<usize>r << 2));
      for (let m = 0; m < K; m++) stepOne(w + off, g + off, v + off, m, H, hyper, ok);
    }
  } else {
    for (let i = 0; i < I; i++) {
      const off = <usize>i * kb;
      const touched = load<u8>(mark + (off >>> 2)) != 0;
      for (let m = 0; m < K; m++) {
        if (touched || load<f64>(hyper + (<usize>m << 4), 8) != 0) stepOne(w + off, g + off, v + off, m, H, hyper, ok);
      }
    }
  }
  for (let r = 0; r < len; r++) store<u8>(mark + (<usize>load<i32>(list + (<usize>r << 2)) >>> 2), 0);
  store<i32>(listLen, 0);
}

// step() on model m's H weights of a first-layer row at w (its g and v alike), and-ing the result into ok[m].
@inline
function stepOne(w: usize, g: usize, v: usize, m: i32, H: i32, hyper: usize, ok: usize): void {
  const o = <usize>m * (<usize>H << 2);
  const h = hyper + (<usize>m << 4);
  const r = step(w + o, g + o, v + o, H, load<f64>(h), load<f64>(h, 8));
  const at = ok + (<usize>m << 2);
  store<i32>(at, load<i32>(at) & r);
}

/** Clears the touched-row list and its marks without stepping (after a step by another optimizer, which zeroes gw1 itself). */
export function clearRows(mark: usize, list: usize, listLen: usize): void {
  const len = load<i32>(listLen);
  for (let r = 0; r < len; r++) store<u8>(mark + (<usize>load<i32>(list + (<usize>r << 2)) >>> 2), 0);
  store<i32>(listLen, 0);
}

/** counts[i] = number of nonzero bytes of image i (pixels bytes each, stored back to back at src), i < n. */
export function countNonzero(src: usize, n: i32, pixels: i32, counts: usize): void {
  const zero = i8x16.splat(0);
  for (let i = 0; i < n; i++) {
    const base = src + <usize>i * <usize>pixels;
    let c = 0;
    let p = 0;
    for (; p + 16 <= pixels; p += 16) c += <i32>popcnt<u32>(i8x16.bitmask(i8x16.ne(v128.load(base + <usize>p), zero)));
    for (; p < pixels; p++) if (load<u8>(base + <usize>p) != 0) c++;
    store<i32>(counts + (<usize>i << 2), c);
  }
}

/**
 * Packs the nonzero pixels of n images (back to back at src) in pixel order: image i's entries start at entry
 * starts[i] of packed, each (pixel * rowBytes) << 8 | grey.
 */
export function packNonzero(src: usize, n: i32, pixels: i32, rowBytes: i32, starts: usize, packed: usize): void {
  const zero = i8x16.splat(0);
  for (let i = 0; i < n; i++) {
    const base = src + <usize>i * <usize>pixels;
    let o = packed + (<usize>load<i32>(starts + (<usize>i << 2)) << 2);
    let p = 0;
    for (; p + 16 <= pixels; p += 16) {
      let m = i8x16.bitmask(i8x16.ne(v128.load(base + <usize>p), zero));
      while (m != 0) {
        const b = <i32>ctz<u32>(m);
        const px = p + b;
        store<u32>(o, (<u32>(px * rowBytes) << 8) | <u32>load<u8>(base + <usize>px));
        o += 4;
        m &= m - 1;
      }
    }
    for (; p < pixels; p++) {
      const g = load<u8>(base + <usize>p);
      if (g != 0) {
        store<u32>(o, (<u32>(p * rowBytes) << 8) | <u32>g);
        o += 4;
      }
    }
  }
}

const CE: i32 = 0;

// Softmax of the 10 float32 logits at zr into p (10 f64 at pr) as softmaxRow does: exp(z - max z) / sum, in float64;
// returns logsumexp(z) = max z + log(sum).
function softmax10(zr: usize, pr: usize): f64 {
  let m = <f64>load<f32>(zr);
  for (let k = 1; k < 10; k++) {
    const v = <f64>load<f32>(zr + (<usize>k << 2));
    if (v > m) m = v;
  }
  let s: f64 = 0;
  for (let k = 0; k < 10; k++) {
    const e = hostExp(<f64>load<f32>(zr + (<usize>k << 2)) - m);
    store<f64>(pr + (<usize>k << 3), e);
    s += e;
  }
  const inv = 1 / s;
  for (let k = 0; k < 10; k++) store<f64>(pr + (<usize>k << 3), load<f64>(pr + (<usize>k << 3)) * inv);
  return m + hostLog(s);
}

// Index of the largest of the 10 logits at zr (the first on ties; NaN never wins).
function argmax10(zr: usize): i32 {
  let best = 0;
  let bv = load<f32>(zr);
  for (let k = 1; k < 10; k++) {
    const v = load<f32>(zr + (<usize>k << 2));
    if (v > bv) {
      bv = v;
      best = k;
    }
  }
  return best;
}

/**
 * The training loss head of a mini-batch, as lossGradBatch does it in float64 (src-core/mlp/sparse-backward.ts):
 * for the count rows of logits z (count x 10 f32) with labels y (count u8), dz = (1/count) dL/dz (stored f32),
 * out (f64) = mean loss, out + 8 (i32) = right answers. pr is scratch of 10 f64.
 */
export function trainHead(z: usize, y: usize, count: i32, loss: i32, dz: usize, pr: usize, out: usize): void {
  const scale = 1 / <f64>count;
  let total: f64 = 0;
  let correct = 0;
  for (let b = 0; b < count; b++) {
    const zr = z + <usize>b * 40;
    const dr = dz + <usize>b * 40;
    const label = <i32>load<u8>(y + <usize>b);
    const lse = softmax10(zr, pr);
    if (loss == CE) {
      for (let k = 0; k < 10; k++) {
        const p = load<f64>(pr + (<usize>k << 3));
        store<f32>(dr + (<usize>k << 2), <f32>(scale * (k == label ? p - 1 : p)));
      }
      total += lse - <f64>load<f32>(zr + (<usize>label << 2));
    } else {
      let l: f64 = 0;
      let pe: f64 = 0;
      for (let k = 0; k < 10; k++) {
        const p = load<f64>(pr + (<usize>k << 3));
        const r = k == label ? p - 1 : p;
        l += r * r;
        pe += p * 2 * r;
      }
      for (let k = 0; k < 10; k++) {
        const p = load<f64>(pr + (<usize>k << 3));
        const e = 2 * (k == label ? p - 1 : p);
        store<f32>(dr + (<usize>k << 2), <f32>(scale * p * (e - pe)));
      }
      total += l;
    }
    if (argmax10(zr) == label) correct++;
  }
  store<f64>(out, total / <f64>count);
  store<i32>(out, correct, 8);
}

/**
 * The evaluation head of test images [from, from + count) whose logits are rows of z (10 f32 each), as
 * accumulateEval does it in float64 (src-core/train/evaluate.ts): probs (10 f32 per image), predicted (u8),
 * confidence (f32), confusion (10 x 10 i32, row = true class) are written or counted; the chunk's summed loss is
 * added to out (f64) and its right answers to out + 8 (i32). y holds every test label (u8); pr is scratch of 10 f64.
 */
export function evalHead(z: usize, y: usize, from: i32, count: i32, loss: i32, probs: usize, predicted: usize, confidence: usize, confusion: usize, out: usize, pr: usize): void {
  let lossSum: f64 = 0;
  let correct = 0;
  for (let b = 0; b < count; b++) {
    const n = <usize>(from + b);
    const zr = z + n * 40;
    const label = <i32>load<u8>(y + n);
    const lse = softmax10(zr, pr);
    const best = argmax10(zr);
    if (loss == CE) {
      lossSum += lse - <f64>load<f32>(zr + (<usize>label << 2));
    } else {
      let s: f64 = 0;
      for (let k = 0; k < 10; k++) {
        const p = load<f64>(pr + (<usize>k << 3));
        const r = k == label ? p - 1 : p;
        s += r * r;
      }
      lossSum += s;
    }
    const pn = probs + n * 40;
    for (let k = 0; k < 10; k++) store<f32>(pn + (<usize>k << 2), <f32>load<f64>(pr + (<usize>k << 3)));
    store<u8>(predicted + n, <u8>best);
    store<f32>(confidence + (n << 2), <f32>load<f64>(pr + (<usize>best << 3)));
    const c = confusion + ((<usize>(label * 10 + best)) << 2);
    store<i32>(c, load<i32>(c) + 1);
    if (best == label) correct++;
  }
  store<f64>(out, load<f64>(out) + lossSum);
  store<i32>(out, load<i32>(out, 8) + correct, 8);
}

// ---- Dense first layer (datasets whose images are mostly nonzero) ----
//
// The images are kept as grey levels, one byte per pixel (images + n * I for image n), and each mini-batch is
// widened to f32 in groups of four images, pixel-major, each value splat over four lanes (one load, no shuffle):
// group g, pixel i, image t (b = 4g + t) at xs + ((g * I + i) * 4 + t) * 16; images past the batch's end hold 0.
// Per output element the sums run over every pixel in pixel order, the order of the sparse kernels (gather, scatter),
// so the results are theirs bit for bit: a zero pixel adds x * w = +-0, which leaves every sum unchanged except an
// exact -0 (it may become +0) and a non-finite weight (0 * inf is NaN where the sparse kernels skip the pixel).

// Widens images idx[b0 .. b0 + nb) (nb <= 4) into the group at xg (I x 4 splat v128; images t >= nb are 0).
function widenGroup(xg: usize, images: usize, I: i32, unit: usize, idx: usize, b0: i32, nb: i32): void {
  for (let t = 0; t < 4; t++) {
    const col = xg + (<usize>t << 4);
    if (t < nb) {
      const src = images + <usize>load<i32>(idx + (<usize>(b0 + t) << 2)) * <usize>I;
      for (let i = 0; i < I; i++) v128.store(col + (<usize>i << 6), v128.load32_splat(unit + (<usize>load<u8>(src + <usize>i) << 2)));
    } else {
      for (let i = 0; i < I; i++) v128.store(col + (<usize>i << 6), f32x4.splat(0));
    }
  }
}

// Hidden pre-activations of the nb (<= 4) images of the group at xg: rows out + t * H * 4 = b1 + sum_i x_ti W1[i, :].
// Register tile: 4 images x 8 lanes (8 accumulators), each pass reads a row slice of W1 once for all four images.
function denseGroup(out: usize, H: i32, I: i32, w1: usize, b1: usize, xg: usize, nb: i32): void {
  const hb = <usize>H << 2;
  let j = 0;
  for (; j + 8 <= H; j += 8) {
    const o = <usize>j << 2;
    const c0 = v128.load(b1 + o), c1 = v128.load(b1 + o, 16);
    let p0 = c0, p1 = c1, q0 = c0, q1 = c1, r0 = c0, r1 = c1, s0 = c0, s1 = c1;
    let w = w1 + o;
    let x = xg;
    for (let i = 0; i < I; i++) {
      const w0 = v128.load(w), w1v = v128.load(w, 16);
      const x0 = v128.load(x);
      p0 = f32x4.add(p0, f32x4.mul(x0, w0));
      p1 = f32x4.add(p1, f32x4.mul(x0, w1v));
      const x1 = v128.load(x, 16);
      q0 = f32x4.add(q0, f32x4.mul(x1, w0));
      q1 = f32x4.add(q1, f32x4.mul(x1, w1v));
      const x2 = v128.load(x, 32);
      r0 = f32x4.add(r0, f32x4.mul(x2, w0));
      r1 = f32x4.add(r1, f32x4.mul(x2, w1v));
      const x3 = v128.load(x, 48);
      s0 = f32x4.add(s0, f32x4.mul(x3, w0));
      s1 = f32x4.add(s1, f32x4.mul(x3, w1v));
      w += hb;
      x += 64;
    }
    const d = out + o;
    v128.store(d, p0); v128.store(d, p1, 16);
    if (nb > 1) { v128.store(d + hb, q0); v128.store(d + hb, q1, 16); }
    if (nb > 2) { v128.store(d + 2 * hb, r0); v128.store(d + 2 * hb, r1, 16); }
    if (nb > 3) { v128.store(d + 3 * hb, s0); v128.store(d + 3 * hb, s1, 16); }
  }
  for (; j + 4 <= H; j += 4) {
    const o = <usize>j << 2;
    const c0 = v128.load(b1 + o);
    let p0 = c0, q0 = c0, r0 = c0, s0 = c0;
    let w = w1 + o;
    let x = xg;
    for (let i = 0; i < I; i++) {
      const w0 = v128.load(w);
      p0 = f32x4.add(p0, f32x4.mul(v128.load(x), w0));
      q0 = f32x4.add(q0, f32x4.mul(v128.load(x, 16), w0));
      r0 = f32x4.add(r0, f32x4.mul(v128.load(x, 32), w0));
      s0 = f32x4.add(s0, f32x4.mul(v128.load(x, 48), w0));
      w += hb;
      x += 64;
    }
    const d = out + o;
    v128.store(d, p0);
    if (nb > 1) v128.store(d + hb, q0);
    if (nb > 2) v128.store(d + 2 * hb, r0);
    if (nb > 3) v128.store(d + 3 * hb, s0);
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    for (let t = 0; t < nb; t++) {
      let acc = load<f32>(b1 + o);
      let w = w1 + o;
      let x = xg + (<usize>t << 4);
      for (let i = 0; i < I; i++) {
        acc += load<f32>(x) * load<f32>(w);
        w += hb;
        x += 64;
      }
      store<f32>(out + <usize>t * hb + o, acc);
    }
  }
}

/**
 * forward() on dense images (I grey bytes each at images, image n at images + n * I): the same a and z. xs is
 * scratch for the widened groups: with keep = 1 every group of the batch stays (ceil(count / 4) * I * 64 bytes,
 * for backwardDense), with keep = 0 one group is reused (I * 64 bytes).
 */
export function forwardDense(a: usize, z: usize, H: i32, w1: usize, b1: usize, w2: usize, b2: usize, images: usize, I: i32, unit: usize, idx: usize, count: i32, act: i32, xs: usize, keep: i32): void {
  const hb = <usize>H << 2;
  for (let b0 = 0; b0 < count; b0 += 4) {
    const nb = min(4, count - b0);
    const xg = keep ? xs + <usize>(b0 >> 2) * (<usize>I << 6) : xs;
    widenGroup(xg, images, I, unit, idx, b0, nb);
    denseGroup(a + <usize>b0 * hb, H, I, w1, b1, xg, nb);
    for (let t = 0; t < nb; t++) {
      const ab = a + <usize>(b0 + t) * hb;
      activate(ab, H, act);
      outputRow(ab, z + <usize>(b0 + t) * 40, H, w2, b2);
    }
  }
}

/**
 * backward() after forwardDense(keep = 1) on the same batch: the same gb2, gw2, dh, gb1, and every row of gw1
 * written: gw1[i, :] = sum_b x_bi dh_b, b in order (the scatter's order; no touched-row list: the step visits all rows).
 */
export function backwardDense(a: usize, dz: usize, dh: usize, H: i32, w2: usize, gw1: usize, gb1: usize, gw2: usize, gb2: usize, xs: usize, I: i32, count: i32, act: i32): void {
  const hb = <usize>H << 2;
  memory.fill(gb1, 0, hb);
  memory.fill(gw2, 0, hb * 10);
  memory.fill(gb2, 0, 40);
  for (let b = 0; b < count; b++) backRow(a + <usize>b * hb, dz + <usize>b * 40, dh + <usize>b * hb, H, w2, gb1, gw2, gb2, act);
  const gs = <usize>I << 6; // bytes per group
  let i = 0;
  // Register tile: 2 rows of gw1 x 16 lanes (8 accumulators); each image's dh slice is read once for both rows.
  for (; i + 2 <= I; i += 2) {
    const row = gw1 + <usize>i * hb;
    let j = 0;
    for (; j + 16 <= H; j += 16) {
      const o = <usize>j << 2;
      let p0 = f32x4.splat(0), p1 = p0, p2 = p0, p3 = p0, q0 = p0, q1 = p0, q2 = p0, q3 = p0;
      for (let b = 0; b < count; b++) {
        const xp = xs + <usize>(b >> 2) * gs + (<usize>i << 6) + (<usize>(b & 3) << 4);
        const xa = v128.load(xp);
        const xb = v128.load(xp, 64);
        const d = dh + <usize>b * hb + o;
        const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
        p0 = f32x4.add(p0, f32x4.mul(xa, d0));
        p1 = f32x4.add(p1, f32x4.mul(xa, d1));
        p2 = f32x4.add(p2, f32x4.mul(xa, d2));
        p3 = f32x4.add(p3, f32x4.mul(xa, d3));
        q0 = f32x4.add(q0, f32x4.mul(xb, d0));
        q1 = f32x4.add(q1, f32x4.mul(xb, d1));
        q2 = f32x4.add(q2, f32x4.mul(xb, d2));
        q3 = f32x4.add(q3, f32x4.mul(xb, d3));
      }
      const r = row + o;
      v128.store(r, p0); v128.store(r, p1, 16); v128.store(r, p2, 32); v128.store(r, p3, 48);
      v128.store(r + hb, q0); v128.store(r + hb, q1, 16); v128.store(r + hb, q2, 32); v128.store(r + hb, q3, 48);
    }
    denseRowTail(row, H, j, dh, xs, gs, i, count);
    denseRowTail(row + hb, H, j, dh, xs, gs, i + 1, count);
  }
  for (; i < I; i++) denseRowTail(gw1 + <usize>i * hb, H, 0, dh, xs, gs, i, count);
}

// gw1 row i, lanes [j0, H): sum_b x_bi dh_b[j], b in order, 4 lanes at a time, then one by one.
function denseRowTail(row: usize, H: i32, j0: i32, dh: usize, xs: usize, gs: usize, i: i32, count: i32): void {
  const hb = <usize>H << 2;
  let j = j0;
  for (; j + 4 <= H; j += 4) {
    const o = <usize>j << 2;
    let p0 = f32x4.splat(0);
    for (let b = 0; b < count; b++) {
      const x = v128.load(xs + <usize>(b >> 2) * gs + (<usize>i << 6) + (<usize>(b & 3) << 4));
      p0 = f32x4.add(p0, f32x4.mul(x, v128.load(dh + <usize>b * hb + o)));
    }
    v128.store(row + o, p0);
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    let acc: f32 = 0;
    for (let b = 0; b < count; b++) acc += load<f32>(xs + <usize>(b >> 2) * gs + (<usize>i << 6) + (<usize>(b & 3) << 4)) * load<f32>(dh + <usize>b * hb + o);
    store<f32>(row + o, acc);
  }
}
