import { GREY_TO_UNIT, type SparseImages } from '../../../data/sparse-images';
import { gatherRows, scatterRows } from '../../../mlp/kernels';
import { base64ToBytes, createSharedMemory, type WasmMemory, type WasmModule } from '../../../mlp/wasm/instance';
import { HVP_WASM_BASE64 } from './hvp-wasm';

// The two sparse first-layer loops of a Hessian-vector product over a fixed
// image set (hvp.ts), in two implementations that give the same numbers bit
// for bit (each output element sums the same terms in the same order):
//   - 'fast': WebAssembly float64 SIMD (assembly/hvp-kernels.ts), on the set
//     packed once into the loops' own memory (about 3x the TypeScript speed);
//   - 'reference': TypeScript, the lab's register-blocked sparse loops (src-core/mlp/kernels.ts) on float64 arrays.
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
      for (let b = 0; b < idx.length; b++) gatherRows(rows, b * H, H, w, index, grey, start[idx[b]], start[idx[b] + 1]);
    },
    scatter(d, g) {
      g.fill(0);
      for (let b = 0; b < idx.length; b++) scatterRows(d, b * H, H, g, index, grey, start[idx[b]], start[idx[b] + 1]);
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
