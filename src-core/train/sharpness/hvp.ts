import { GREY_TO_UNIT, type SparseImages } from '../../data/sparse-images';
import { RELU, SIGMOID, TANH, type ActCode } from '../../mlp/activation';
import { CE, MSE, softmaxRow, type LossCode } from '../../mlp/loss';
import type { MlpParams, Vec } from '../../mlp/params';
import { firstLayerLoops, type FirstLayerLoops } from './wasm/first-layer';

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
// one product then costs one sparse gather (R{h}) and one sparse scatter (R{∇W1}) over the images' nonzero pixels
// (wasm/first-layer.ts: WebAssembly float64 SIMD, or the TypeScript loops; the same numbers bit for bit), and the
// small dense output-layer work per image in between.

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
export function unflatten(
  shape: { inputs: number; hidden: number; outputs: number },
  flat: ArrayLike<number>,
): MlpParams<Float64Array> {
  const { inputs: I, hidden: H, outputs: O } = shape;
  if (flat.length !== flatSize(shape))
    throw new RangeError(`unflatten: ${flat.length} values for a ${I}-${H}-${O} network`);
  const take = (from: number, n: number) => Float64Array.from({ length: n }, (_, i) => flat[from + i]);
  return {
    inputs: I,
    hidden: H,
    outputs: O,
    w1: take(0, I * H),
    b1: take(I * H, H),
    w2: take(I * H + H, O * H),
    b2: take(I * H + H + O * H, O),
  };
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
  /** Per image and hidden unit: R{h}, then R{δh} (the loops' rows). */
  private readonly rh: Float64Array;
  private readonly rdh: Float64Array;
  private readonly loops: FirstLayerLoops;
  private readonly u: Float64Array;
  private readonly rdz: Float64Array;

  /**
   * @param params the network's weights (float32 or float64; copied as float64)
   * @param images CSR images; the set is images idx[0 .. idx.length), with labels[idx[b]]
   * @param loops the first-layer loops over that set (default: the fast ones where this host has them); a meter
   *   passes the same loops to each operator it builds on one set
   */
  constructor(
    params: MlpParams<Vec>,
    act: ActCode,
    loss: LossCode,
    images: SparseImages,
    labels: ArrayLike<number>,
    idx: Int32Array,
    loops?: FirstLayerLoops,
  ) {
    const { inputs: I, hidden: H, outputs: O } = params;
    if (params.w1.length !== I * H || params.b1.length !== H || params.w2.length !== O * H || params.b2.length !== O)
      throw new RangeError('HessianOperator: parameter arrays do not match the declared shape');
    if (images.pixels !== I)
      throw new RangeError(`HessianOperator: images have ${images.pixels} pixels, the network ${I} inputs`);
    if (act !== RELU && act !== SIGMOID && act !== TANH)
      throw new RangeError(`HessianOperator: unknown activation code ${String(act)}`);
    if (loss !== CE && loss !== MSE) throw new RangeError(`HessianOperator: unknown loss code ${String(loss)}`);
    const N = idx.length;
    if (N < 1) throw new RangeError('HessianOperator: the image set is empty');
    if (N * H > MAX_HVP_CACHE)
      throw new RangeError(
        `HessianOperator: ${N} images x ${H} hidden units exceed the ${MAX_HVP_CACHE} cached values allowed; use fewer images`,
      );
    for (let b = 0; b < N; b++) {
      const n = idx[b];
      if (!(Number.isInteger(n) && n >= 0 && n < images.count))
        throw new RangeError(`HessianOperator: image index ${n} is outside [0, ${images.count})`);
      const y = labels[n];
      if (!(Number.isInteger(y) && y >= 0 && y < O))
        throw new RangeError(`HessianOperator: label ${y} of image ${n} is not in [0, ${O})`);
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
    this.rh = new Float64Array(N * H);
    this.rdh = new Float64Array(N * H);
    this.loops = loops ?? firstLayerLoops(images, this.idx, H);
    this.u = new Float64Array(O);
    this.rdz = new Float64Array(O);

    const z = new Float64Array(O);
    let total = 0;
    // Pre-activations h = b1 + W1ᵀ x of every image first, then overwritten by σ(h).
    const h = this.a;
    for (let b = 0; b < N; b++) h.set(b1, b * H);
    this.loops.gather(w1, h);
    for (let b = 0; b < N; b++) {
      const n = this.idx[b];
      const hb = b * H;
      const ob = b * O;
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
    if (v.length !== this.dim || out.length !== this.dim)
      throw new RangeError(
        `HessianOperator.apply: vectors must hold ${this.dim} values, got ${v.length} and ${out.length}`,
      );
    if (v === out) throw new RangeError('HessianOperator.apply: out must not alias v');
    const oB1 = I * H;
    const oW2 = oB1 + H;
    const oB2 = oW2 + O * H;
    const w2 = this.w2;
    const { a, d1, d2, da, p, dz, e, pe, rh, rdh, u, rdz } = this;
    const ce = this.lossKind === CE;
    out.fill(0);
    // R{h} = c1 + V1ᵀ x of every image, over its nonzero pixels.
    const c1 = v.subarray(oB1, oB1 + H);
    for (let b = 0; b < N; b++) rh.set(c1, b * H);
    this.loops.gather(v.subarray(0, oB1), rh);
    for (let b = 0; b < N; b++) {
      const hb = b * H;
      const ob = b * O;
      // R{z} = c2 + V2 a + W2 (σ' ⊙ R{h}), and p·u.
      let pu = 0;
      for (let k = 0; k < O; k++) {
        let s = v[oB2 + k];
        const row = k * H;
        for (let j = 0; j < H; j++) s += v[oW2 + row + j] * a[hb + j] + w2[row + j] * d1[hb + j] * rh[hb + j];
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
      for (let j = 0; j < H; j++) rdh[hb + j] = 0;
      for (let k = 0; k < O; k++) {
        const r = rdz[k];
        const d = dz[ob + k];
        out[oB2 + k] += r;
        const row = k * H;
        for (let j = 0; j < H; j++) {
          out[oW2 + row + j] += r * a[hb + j] + d * d1[hb + j] * rh[hb + j];
          rdh[hb + j] += v[oW2 + row + j] * d + w2[row + j] * r;
        }
      }
      // R{δh} = σ' ⊙ R{δa} + σ'' ⊙ R{h} ⊙ δa.
      if (d2) {
        for (let j = hb; j < hb + H; j++) rdh[j] = d1[j] * rdh[j] + d2[j] * rh[j] * da[j];
      } else {
        for (let j = hb; j < hb + H; j++) rdh[j] *= d1[j];
      }
      // R{∇b1} += R{δh}.
      for (let j = 0; j < H; j++) out[oB1 + j] += rdh[hb + j];
    }
    // First layer: R{∇W1}[i, :] = Σ_b x_(b,i) R{δh}_b over the nonzero pixels, images in order.
    this.loops.scatter(rdh, out.subarray(0, oB1));
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
