import { GREY_TO_UNIT, type SparseImages } from '../../../data/sparse-images';
import { base64ToBytes, createSharedMemory, type WasmMemory, type WasmModule } from '../../../mlp/wasm/instance';
import { HVP_WASM_BASE64 } from './hvp-wasm';

// The two sparse first-layer loops of a Hessian-vector product over a fixed
// image set (hvp.ts), in two implementations that give the same numbers bit
// for bit (each output element sums the same terms in the same order):
//   - 'fast': WebAssembly float64 SIMD (assembly/hvp-kernels.ts), on the set
//     packed once into the loops' own memory (about 3x the TypeScript speed);
//   - 'reference': TypeScript, register-blocked by 8 hidden units.
// Both read only the images' nonzero pixels (about 19 % of MNIST's).

export interface FirstLayerLoops {
  /** Which implementation runs. */
  readonly kind: LoopKernels;
  /** rows[b*H + j] += Σ_e x_e · w[pixel_e*H + j] over the nonzeros e of image b, for every image b (w: I x H). */
  gather(w: Float64Array, rows: Float64Array): void;
  /** g[pixel*H + j] = Σ_b x_(b,pixel) · d[b*H + j] over every image b, in order (g: I x H, overwritten). */
  scatter(d: Float64Array, g: Float64Array): void;
}

export type LoopKernels = 'fast' | 'reference';

/** The loops over images idx[0 ..) of images, H hidden units: 'fast' where the host has WebAssembly SIMD. */
export function firstLayerLoops(
  images: SparseImages,
  idx: Int32Array,
  H: number,
  kernels: LoopKernels = 'fast',
): FirstLayerLoops {
  return (kernels === 'fast' ? wasmLoops(images, idx, H) : null) ?? typescriptLoops(images, idx, H);
}

function typescriptLoops(images: SparseImages, idx: Int32Array, H: number): FirstLayerLoops {
  const { start, index, grey } = images;
  return {
    kind: 'reference',
    gather(w, rows) {
      for (let b = 0; b < idx.length; b++) gather(rows, b * H, H, w, index, grey, start[idx[b]], start[idx[b] + 1]);
    },
    scatter(d, g) {
      g.fill(0);
      for (let b = 0; b < idx.length; b++) scatter(g, H, d, b * H, index, grey, start[idx[b]], start[idx[b] + 1]);
    },
  };
}

let compiled: WasmModule | null | undefined;

function hvpModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const wa = (
    globalThis as unknown as {
      WebAssembly?: { Module: new (b: Uint8Array) => WasmModule; validate(b: Uint8Array): boolean };
    }
  ).WebAssembly;
  try {
    const bytes = base64ToBytes(HVP_WASM_BASE64);
    if (wa && typeof SharedArrayBuffer === 'function' && wa.validate(bytes)) compiled = new wa.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

interface HvpExports {
  gatherAll(rows: number, H: number, w: number, start: number, packed: number, unit: number, N: number): void;
  scatterAll(g: number, H: number, d: number, start: number, packed: number, unit: number, N: number): void;
}

const PAGE = 65536;

function wasmLoops(images: SparseImages, idx: Int32Array, H: number): FirstLayerLoops | null {
  const module = hvpModule();
  if (!module) return null;
  const I = images.pixels;
  const N = idx.length;
  let nnz = 0;
  for (let b = 0; b < N; b++) nnz += images.start[idx[b] + 1] - images.start[idx[b]];
  // Layout (byte offsets, 16-aligned): unit table, CSR starts, packed nonzeros, w (I x H), rows (N x H), g (I x H).
  let top = 16;
  const take = (bytes: number) => {
    const at = top;
    top += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const unit = take(256 * 8);
  const start = take((N + 1) * 4);
  const packed = take(nnz * 4);
  const w = take(I * H * 8);
  const rows = take(N * H * 8);
  const g = take(I * H * 8);
  const pages = Math.ceil(top / PAGE);
  const memory: WasmMemory = createSharedMemory(pages, pages);
  const wa = (
    globalThis as unknown as { WebAssembly: { Instance: new (m: WasmModule, i: object) => { exports: unknown } } }
  ).WebAssembly;
  const k = new wa.Instance(module, { env: { memory } }).exports as HvpExports;
  const buf = memory.buffer;
  new Float64Array(buf, unit, 256).set(GREY_TO_UNIT);
  const st = new Int32Array(buf, start, N + 1);
  const pk = new Uint32Array(buf, packed, nnz);
  let e = 0;
  for (let b = 0; b < N; b++) {
    st[b] = e;
    const n = idx[b];
    for (let q = images.start[n]; q < images.start[n + 1]; q++) pk[e++] = (images.index[q] << 8) | images.grey[q];
  }
  st[N] = e;
  const wView = new Float64Array(buf, w, I * H);
  const rowsView = new Float64Array(buf, rows, N * H);
  const gView = new Float64Array(buf, g, I * H);
  return {
    kind: 'fast',
    gather(wIn, rowsInOut) {
      wView.set(wIn.length === I * H ? wIn : wIn.subarray(0, I * H));
      rowsView.set(rowsInOut);
      k.gatherAll(rows, H, w, start, packed, unit, N);
      rowsInOut.set(rowsView);
    },
    scatter(d, gOut) {
      rowsView.set(d);
      gView.fill(0);
      k.scatterAll(g, H, rows, start, packed, unit, N);
      gOut.set(gView);
    },
  };
}

// The TypeScript loops, register-blocked by 8 hidden units (as the lab's float32 kernels in src-core/mlp/kernels.ts
// are): per output element the sum runs over the nonzeros in the same order as a plain loop.

/** out[o + j] += sum_{e in [e0, e1)} x_e * w[index[e]*H + j], j < H (float64 weights). */
function gather(
  out: Float64Array,
  o: number,
  H: number,
  w: Float64Array,
  index: Uint16Array,
  grey: Uint8Array,
  e0: number,
  e1: number,
): void {
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) gather8(out, o + j, H, w, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    let a = out[o + j];
    for (let e = e0; e < e1; e++) a += unit[grey[e]] * w[index[e] * H + j];
    out[o + j] = a;
  }
}

function gather8(
  out: Float64Array,
  o: number,
  H: number,
  w: Float64Array,
  index: Uint16Array,
  grey: Uint8Array,
  e0: number,
  e1: number,
  unit: Float32Array,
  j: number,
): void {
  let a0 = out[o],
    a1 = out[o + 1],
    a2 = out[o + 2],
    a3 = out[o + 3];
  let a4 = out[o + 4],
    a5 = out[o + 5],
    a6 = out[o + 6],
    a7 = out[o + 7];
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
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
  out[o + 4] = a4;
  out[o + 5] = a5;
  out[o + 6] = a6;
  out[o + 7] = a7;
}

/** g[index[e]*H + j] += x_e * d[o + j] for e in [e0, e1), j < H. */
function scatter(
  g: Float64Array,
  H: number,
  d: Float64Array,
  o: number,
  index: Uint16Array,
  grey: Uint8Array,
  e0: number,
  e1: number,
): void {
  const unit = GREY_TO_UNIT;
  let j = 0;
  for (; j + 8 <= H; j += 8) scatter8(g, H, d, o, index, grey, e0, e1, unit, j);
  for (; j < H; j++) {
    const dj = d[o + j];
    for (let e = e0; e < e1; e++) g[index[e] * H + j] += unit[grey[e]] * dj;
  }
}

function scatter8(
  g: Float64Array,
  H: number,
  d: Float64Array,
  o: number,
  index: Uint16Array,
  grey: Uint8Array,
  e0: number,
  e1: number,
  unit: Float32Array,
  j: number,
): void {
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
}
