import { GREY_TO_UNIT, type SparseImages } from '../../data/sparse-images';
import { RELU, SIGMOID, TANH, type ActCode } from '../../mlp/activation';
import { CE, MSE, softmaxRow, type LossCode } from '../../mlp/loss';
import type { MlpParams, Vec } from '../../mlp/params';

// Exact Hessian-vector products of the lab's training loss
//   L(θ) = (1/N) Σ_b ℓ(z_b, y_b),  h_b = b1 + W1ᵀ x_b,  a_b = σ(h_b),  z_b = b2 + W2 a_b
// with respect to every weight and bias θ = (W1, b1, W2, b2), by the R-operator
// (Pearlmutter 1994: forward-over-reverse). R{·} is the directional derivative
// d/dε (·)(θ + ε v) at ε = 0, for a direction v = (V1, c1, V2, c2). Applying it
// to the forward pass and then to the backward pass gives Hv = R{∇L}:
//
//   forward   R{h} = c1 + V1ᵀ x          R{a} = σ'(h) ⊙ R{h}        R{z} = c2 + V2 a + W2 R{a}
//   head      δz = ∇_z ℓ / N             R{δz} = (∇²_z ℓ) R{z} / N
//   backward  R{∇W2} = Σ_b R{δz} aᵀ + δz R{a}ᵀ               R{∇b2} = Σ_b R{δz}
//             δa = W2ᵀ δz                R{δa} = V2ᵀ δz + W2ᵀ R{δz}
//             R{δh} = σ'(h) ⊙ R{δa} + σ''(h) ⊙ R{h} ⊙ δa
//             R{∇W1} = Σ_b x R{δh}ᵀ      R{∇b1} = Σ_b R{δh}
//
// σ' and σ'' written with a = σ(h), as the lab's backward pass does:
//   relu    σ' = [a > 0],  σ'' = 0 (the Hessian where it exists: everywhere but the kinks, a set of measure 0)
//   sigmoid σ' = a(1 − a), σ'' = σ'(1 − 2a)
//   tanh    σ' = 1 − a²,   σ'' = −2a σ'
// The loss heads (src-core/mlp/loss.ts), p = softmax(z), t = one-hot(y), u = R{z}:
//   ce   ℓ = logsumexp(z) − z_y,  ∇ = p − t,  ∇²u = p ⊙ u − p (p·u)
//   mse  ℓ = Σ_k (p_k − t_k)², e = 2(p − t), ∇_j = p_j (e_j − p·e); with q = p ⊙ u − p (p·u) (= R{p}):
//        (∇²u)_j = q_j (e_j − p·e) + p_j (2 q_j − q·e − 2 p·q)
// Everything is float64; the input values are the lab's (GREY_TO_UNIT[grey], as in training).
// The forward pass and the head's first-order quantities do not depend on v, so they are computed once and cached;
// one product then costs one sparse gather (R{h}) and one sparse scatter (R{∇W1}) over the images' nonzero pixels.

/** Most cached hidden values (N images x H units) one operator holds: 2^23, 64 MiB per cached array. */
export const MAX_HVP_CACHE = 1 << 23;

/** Flat parameter-vector layout: [w1 (inputs x hidden, the lab's layout), b1, w2 (outputs x hidden), b2]. */
export function flatSize(p: { inputs: number; hidden: number; outputs: number }): number {
  return p.inputs * p.hidden + p.hidden + p.outputs * p.hidden + p.outputs;
}

/** The parameters as one float64 vector in the flat layout. */
export function flatten(p: MlpParams<Vec>, out: Float64Array = new Float64Array(flatSize(p))): Float64Array {
  if (out.length !== flatSize(p)) throw new RangeError(`flatten: out holds ${out.length} values, need ${flatSize(p)}`);
  let o = 0;
  for (const a of [p.w1, p.b1, p.w2, p.b2]) {
    for (let i = 0; i < a.length; i++) out[o + i] = a[i];
    o += a.length;
  }
  return out;
}

/** Float64 parameters read back from a flat vector. */
export function unflatten(shape: { inputs: number; hidden: number; outputs: number }, flat: ArrayLike<number>): MlpParams<Float64Array> {
  const { inputs: I, hidden: H, outputs: O } = shape;
  if (flat.length !== flatSize(shape)) throw new RangeError(`unflatten: ${flat.length} values for a ${I}-${H}-${O} network`);
  const take = (from: number, n: number) => Float64Array.from({ length: n }, (_, i) => flat[from + i]);
  return { inputs: I, hidden: H, outputs: O, w1: take(0, I * H), b1: take(I * H, H), w2: take(I * H + H, O * H), b2: take(I * H + H + O * H, O) };
}

// The two sparse first-layer loops, register-blocked by 8 hidden units (as the lab's float32 kernels in
// src-core/mlp/kernels.ts are): per output element the sum runs over the nonzeros in the same order as a plain loop.

/** out[o + j] += sum_{e in [e0, e1)} x_e * w[index[e]*H + j], j < H (float64 weights). */
function gather(out: Float64Array, o: number, H: number, w: Float64Array, index: Uint16Array, grey: Uint8Array, e0: number, e1: number): void {
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) gather8(out, o + j, H, w, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    let a = out[o + j];
    for (let e = e0; e < e1; e++) a += unit[grey[e]] * w[index[e] * H + j];
    out[o + j] = a;
  }
}

function gather8(out: Float64Array, o: number, H: number, w: Float64Array, index: Uint16Array, grey: Uint8Array, e0: number, e1: number, unit: Float32Array, j: number): void {
  let a0 = out[o], a1 = out[o + 1], a2 = out[o + 2], a3 = out[o + 3];
  let a4 = out[o + 4], a5 = out[o + 5], a6 = out[o + 6], a7 = out[o + 7];
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
  out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
  out[o + 4] = a4; out[o + 5] = a5; out[o + 6] = a6; out[o + 7] = a7;
}

/** g[index[e]*H + j] += x_e * d[j] for e in [e0, e1), j < H. */
function scatter(g: Float64Array, H: number, d: Float64Array, index: Uint16Array, grey: Uint8Array, e0: number, e1: number): void {
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) scatter8(g, H, d, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    const dj = d[j];
    for (let e = e0; e < e1; e++) g[index[e] * H + j] += unit[grey[e]] * dj;
  }
}

function scatter8(g: Float64Array, H: number, d: Float64Array, index: Uint16Array, grey: Uint8Array, e0: number, e1: number, unit: Float32Array, j: number): void {
  const d0 = d[j], d1 = d[j + 1], d2 = d[j + 2], d3 = d[j + 3];
  const d4 = d[j + 4], d5 = d[j + 5], d6 = d[j + 6], d7 = d[j + 7];
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
}

/**
 * The Hessian of the mean training loss over a fixed set of images at fixed weights, as an operator v -> Hv on the flat
 * parameter vector. The weights are copied (float64) at construction: later changes to `params` do not affect it.
 */
export class HessianOperator {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  /** Length of the flat parameter vector. */
  readonly dim: number;
  /** Images in the set. */
  readonly count: number;
  /** Mean loss over the set at these weights. */
  readonly loss: number;
  /** Hessian-vector products computed so far. */
  products = 0;

  private readonly act: ActCode;
  private readonly lossKind: LossCode;
  private readonly w2: Float64Array;
  private readonly images: SparseImages;
  private readonly idx: Int32Array;
  /** Per image and hidden unit: a = σ(h), σ'(h), σ''(h) (null for ReLU: 0), δa = W2ᵀ δz. */
  private readonly a: Float64Array;
  private readonly d1: Float64Array;
  private readonly d2: Float64Array | null;
  private readonly da: Float64Array;
  /** Per image and output: softmax p, δz = ∇_z ℓ / N; for MSE e = 2(p − t) and per image p·e. */
  private readonly p: Float64Array;
  private readonly dz: Float64Array;
  private readonly e: Float64Array | null;
  private readonly pe: Float64Array | null;
  private readonly rh: Float64Array;
  private readonly rdh: Float64Array;
  private readonly u: Float64Array;
  private readonly rdz: Float64Array;

  /**
   * @param params the network's weights (float32 or float64; copied as float64)
   * @param images CSR images; the set is images idx[0 .. idx.length), with labels[idx[b]]
   */
  constructor(params: MlpParams<Vec>, act: ActCode, loss: LossCode, images: SparseImages, labels: ArrayLike<number>, idx: Int32Array) {
    const { inputs: I, hidden: H, outputs: O } = params;
    if (params.w1.length !== I * H || params.b1.length !== H || params.w2.length !== O * H || params.b2.length !== O) throw new RangeError('HessianOperator: parameter arrays do not match the declared shape');
    if (images.pixels !== I) throw new RangeError(`HessianOperator: images have ${images.pixels} pixels, the network ${I} inputs`);
    if (act !== RELU && act !== SIGMOID && act !== TANH) throw new RangeError(`HessianOperator: unknown activation code ${String(act)}`);
    if (loss !== CE && loss !== MSE) throw new RangeError(`HessianOperator: unknown loss code ${String(loss)}`);
    const N = idx.length;
    if (N < 1) throw new RangeError('HessianOperator: the image set is empty');
    if (N * H > MAX_HVP_CACHE) throw new RangeError(`HessianOperator: ${N} images x ${H} hidden units exceed the ${MAX_HVP_CACHE} cached values allowed; use fewer images`);
    for (let b = 0; b < N; b++) {
      const n = idx[b];
      if (!(Number.isInteger(n) && n >= 0 && n < images.count)) throw new RangeError(`HessianOperator: image index ${n} is outside [0, ${images.count})`);
      const y = labels[n];
      if (!(Number.isInteger(y) && y >= 0 && y < O)) throw new RangeError(`HessianOperator: label ${y} of image ${n} is not in [0, ${O})`);
    }
    this.inputs = I;
    this.hidden = H;
    this.outputs = O;
    this.dim = flatSize(params);
    this.count = N;
    this.act = act;
    this.lossKind = loss;
    this.images = images;
    this.idx = Int32Array.from(idx);
    const w1 = Float64Array.from(params.w1);
    const b1 = Float64Array.from(params.b1);
    const w2 = Float64Array.from(params.w2);
    const b2 = Float64Array.from(params.b2);
    this.w2 = w2;
    this.a = new Float64Array(N * H);
    this.d1 = new Float64Array(N * H);
    this.d2 = act === RELU ? null : new Float64Array(N * H);
    this.da = new Float64Array(N * H);
    this.p = new Float64Array(N * O);
    this.dz = new Float64Array(N * O);
    this.e = loss === MSE ? new Float64Array(N * O) : null;
    this.pe = loss === MSE ? new Float64Array(N) : null;
    this.rh = new Float64Array(H);
    this.rdh = new Float64Array(H);
    this.u = new Float64Array(O);
    this.rdz = new Float64Array(O);

    const { start, index, grey } = images;
    const z = new Float64Array(O);
    let total = 0;
    for (let b = 0; b < N; b++) {
      const n = this.idx[b];
      const hb = b * H;
      const ob = b * O;
      const h = this.a; // pre-activations first, then overwritten by σ(h)
      for (let j = 0; j < H; j++) h[hb + j] = b1[j];
      gather(h, hb, H, w1, index, grey, start[n], start[n + 1]);
      for (let j = hb; j < hb + H; j++) {
        const v = h[j];
        if (act === RELU) {
          const on = v > 0;
          this.a[j] = on ? v : 0;
          this.d1[j] = on ? 1 : 0;
        } else if (act === SIGMOID) {
          const s = 1 / (1 + Math.exp(-v));
          const d = s * (1 - s);
          this.a[j] = s;
          this.d1[j] = d;
          this.d2![j] = d * (1 - 2 * s);
        } else {
          const t = Math.tanh(v);
          const d = 1 - t * t;
          this.a[j] = t;
          this.d1[j] = d;
          this.d2![j] = -2 * t * d;
        }
      }
      for (let k = 0; k < O; k++) {
        let s = b2[k];
        for (let j = 0; j < H; j++) s += w2[k * H + j] * this.a[hb + j];
        z[k] = s;
      }
      const y = labels[n];
      const lse = softmaxRow(z, 0, O, this.p, ob);
      if (loss === CE) {
        total += lse - z[y];
        for (let k = 0; k < O; k++) this.dz[ob + k] = (this.p[ob + k] - (k === y ? 1 : 0)) / N;
      } else {
        let l = 0;
        let pe = 0;
        for (let k = 0; k < O; k++) {
          const r = this.p[ob + k] - (k === y ? 1 : 0);
          l += r * r;
          this.e![ob + k] = 2 * r;
          pe += this.p[ob + k] * 2 * r;
        }
        total += l;
        this.pe![b] = pe;
        for (let k = 0; k < O; k++) this.dz[ob + k] = (this.p[ob + k] * (this.e![ob + k] - pe)) / N;
      }
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let k = 0; k < O; k++) s += w2[k * H + j] * this.dz[ob + k];
        this.da[hb + j] = s;
      }
    }
    this.loss = total / N;
  }

  /** out = H v (flat layout; out is overwritten, must not alias v). */
  apply(v: Float64Array, out: Float64Array): void {
    const { inputs: I, hidden: H, outputs: O, count: N } = this;
    if (v.length !== this.dim || out.length !== this.dim) throw new RangeError(`HessianOperator.apply: vectors must hold ${this.dim} values, got ${v.length} and ${out.length}`);
    if (v === out) throw new RangeError('HessianOperator.apply: out must not alias v');
    const oB1 = I * H;
    const oW2 = oB1 + H;
    const oB2 = oW2 + O * H;
    const w2 = this.w2;
    const { a, d1, d2, da, p, dz, e, pe, rh, rdh, u, rdz } = this;
    const { start, index, grey } = this.images;
    const ce = this.lossKind === CE;
    out.fill(0);
    for (let b = 0; b < N; b++) {
      const n = this.idx[b];
      const hb = b * H;
      const ob = b * O;
      // R{h} = c1 + V1ᵀ x over the image's nonzero pixels.
      for (let j = 0; j < H; j++) rh[j] = v[oB1 + j];
      gather(rh, 0, H, v, index, grey, start[n], start[n + 1]);
      // R{z} = c2 + V2 a + W2 (σ' ⊙ R{h}), and p·u.
      let pu = 0;
      for (let k = 0; k < O; k++) {
        let s = v[oB2 + k];
        const row = k * H;
        for (let j = 0; j < H; j++) s += v[oW2 + row + j] * a[hb + j] + w2[row + j] * d1[hb + j] * rh[j];
        u[k] = s;
        pu += p[ob + k] * s;
      }
      // R{δz} = (∇²ℓ) u / N.
      if (ce) {
        for (let k = 0; k < O; k++) rdz[k] = (p[ob + k] * (u[k] - pu)) / N;
      } else {
        let qe = 0;
        let pq = 0;
        for (let k = 0; k < O; k++) {
          const qk = p[ob + k] * (u[k] - pu);
          rdz[k] = qk; // q for now
          qe += qk * e![ob + k];
          pq += p[ob + k] * qk;
        }
        const peb = pe![b];
        for (let k = 0; k < O; k++) {
          const qk = rdz[k];
          rdz[k] = (qk * (e![ob + k] - peb) + p[ob + k] * (2 * qk - qe - 2 * pq)) / N;
        }
      }
      // Output layer: R{∇W2} += R{δz} aᵀ + δz R{a}ᵀ, R{∇b2} += R{δz}; R{δa} = V2ᵀ δz + W2ᵀ R{δz}.
      for (let j = 0; j < H; j++) rdh[j] = 0;
      for (let k = 0; k < O; k++) {
        const r = rdz[k];
        const d = dz[ob + k];
        out[oB2 + k] += r;
        const row = k * H;
        for (let j = 0; j < H; j++) {
          out[oW2 + row + j] += r * a[hb + j] + d * d1[hb + j] * rh[j];
          rdh[j] += v[oW2 + row + j] * d + w2[row + j] * r;
        }
      }
      // R{δh} = σ' ⊙ R{δa} + σ'' ⊙ R{h} ⊙ δa.
      if (d2) {
        for (let j = 0; j < H; j++) rdh[j] = d1[hb + j] * rdh[j] + d2[hb + j] * rh[j] * da[hb + j];
      } else {
        for (let j = 0; j < H; j++) rdh[j] *= d1[hb + j];
      }
      // First layer: R{∇b1} += R{δh}, R{∇W1}[i, :] += x_i R{δh} over the nonzero pixels.
      for (let j = 0; j < H; j++) out[oB1 + j] += rdh[j];
      scatter(out, H, rdh, index, grey, start[n], start[n + 1]);
    }
    this.products++;
  }

  /** The gradient ∇L at these weights in the flat layout (one backward pass over the set; not counted as a product). */
  gradient(): Float64Array {
    const { inputs: I, hidden: H, outputs: O, count: N } = this;
    const g = new Float64Array(this.dim);
    const oB1 = I * H;
    const oW2 = oB1 + H;
    const oB2 = oW2 + O * H;
    const unit = GREY_TO_UNIT;
    const { start, index, grey } = this.images;
    const dh = new Float64Array(H);
    for (let b = 0; b < N; b++) {
      const hb = b * H;
      const ob = b * O;
      for (let k = 0; k < O; k++) {
        const d = this.dz[ob + k];
        g[oB2 + k] += d;
        for (let j = 0; j < H; j++) g[oW2 + k * H + j] += d * this.a[hb + j];
      }
      for (let j = 0; j < H; j++) dh[j] = this.d1[hb + j] * this.da[hb + j];
      for (let j = 0; j < H; j++) g[oB1 + j] += dh[j];
      const n = this.idx[b];
      for (let q = start[n]; q < start[n + 1]; q++) {
        const x = unit[grey[q]];
        const r = index[q] * H;
        for (let j = 0; j < H; j++) g[r + j] += x * dh[j];
      }
    }
    return g;
  }
}
