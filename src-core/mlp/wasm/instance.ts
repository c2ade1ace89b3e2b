import { KERNELS_WASM_BASE64 } from './kernels-wasm';
import { nativeKernels, type NativeKernels } from './native-kernels';

// Loads the committed WebAssembly kernels (kernels-wasm.ts, built by
// scripts/build-wasm.mjs from assembly/kernels.ts). src-core sees neither DOM
// nor Node types, so the few WebAssembly calls used are typed here.

/** The arguments forward() and forwardDense() begin with (byte offsets and the hidden width). */
type ForwardHead = [a: number, z: number, H: number, w1: number, b1: number, w2: number, b2: number];
/** The sparse kernels' batch: the packed images (start, packed, unit), the images idx[0 .. count), the activation. */
type SparseBatch = [start: number, packed: number, unit: number, idx: number, count: number, act: number];
/** forward()'s arguments. */
type ForwardArgs = [...ForwardHead, ...SparseBatch];
/** The arguments backward() and backwardDense() begin with. */
type BackwardHead = [
  a: number,
  dz: number,
  dh: number,
  H: number,
  w2: number,
  gw1: number,
  gb1: number,
  gw2: number,
  gb2: number,
];
/** backward()'s arguments. */
type BackwardArgs = [...BackwardHead, ...SparseBatch, mark: number, list: number, listLen: number];

/** Pointers are byte offsets into the shared memory; see assembly/kernels.ts for each function's math. */
export interface KernelExports {
  forward(...args: ForwardArgs): void;
  backward(...args: BackwardArgs): void;
  forwardDense(
    ...args: [
      ...ForwardHead,
      images: number,
      I: number,
      unit: number,
      idx: number,
      count: number,
      act: number,
      xs: number,
      keep: number,
    ]
  ): void;
  backwardDense(...args: [...BackwardHead, xs: number, I: number, count: number, act: number]): void;
  /** forward() of K models side by side (assembly/kernels.ts); model m's logits at z + m * zStride. */
  forwardMany(...args: [...ForwardArgs, K: number, zStride: number]): void;
  /** backward() of K models side by side; model m's dz at dz + m * zStride. */
  backwardMany(...args: [...BackwardArgs, K: number, zStride: number]): void;
  stepFirstMany(
    w: number,
    g: number,
    v: number,
    I: number,
    H: number,
    K: number,
    hyper: number,
    mark: number,
    list: number,
    listLen: number,
    ok: number,
  ): void;
  /** forward() after the first layer's sums: the activation and the output layer of count images. */
  forwardRows(a: number, z: number, H: number, w2: number, b2: number, count: number, act: number): void;
  /** backward() without the first layer's gradient (gb2, gw2, dh, gb1). */
  backwardRows(
    a: number,
    dz: number,
    dh: number,
    H: number,
    w2: number,
    gb1: number,
    gw2: number,
    gb2: number,
    count: number,
    act: number,
  ): void;
  countNonzero(src: number, n: number, pixels: number, counts: number): void;
  packNonzero(src: number, n: number, pixels: number, rowBytes: number, starts: number, packed: number): void;
  step(w: number, g: number, v: number, n: number, lr: number, d: number): number;
  stepRows(
    w: number,
    g: number,
    v: number,
    H: number,
    lr: number,
    d: number,
    mark: number,
    list: number,
    listLen: number,
  ): number;
  clearRows(mark: number, list: number, listLen: number): void;
  trainHead(z: number, y: number, count: number, loss: number, dz: number, pr: number, out: number): void;
  evalHead(
    z: number,
    y: number,
    from: number,
    count: number,
    loss: number,
    probs: number,
    predicted: number,
    confidence: number,
    confusion: number,
    out: number,
    pr: number,
  ): void;
}

/** A WebAssembly.Memory (opaque here) and its SharedArrayBuffer. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
/** A compiled WebAssembly.Module (opaque here; it can be posted to a worker thread). */
export type WasmModule = object;

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

function wasmApi(): WasmApi | null {
  const wa = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  return wa && typeof wa.Module === 'function' ? wa : null;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding) to bytes. */
export function base64ToBytes(text: string): Uint8Array {
  const rev = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) rev[B64.charCodeAt(i)] = i;
  let len = text.length;
  while (len > 0 && text[len - 1] === '=') len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? rev[c] : -1;
    if (v < 0) throw new RangeError(`base64ToBytes: bad character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

let compiled: WasmModule | null | undefined;

/** The compiled kernels module, or null where this host has no WebAssembly SIMD + shared memory (then the TypeScript path runs). */
export function kernelsModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  const wa = wasmApi();
  const bytes = base64ToBytes(KERNELS_WASM_BASE64);
  compiled = null;
  try {
    if (wa && wa.validate(bytes) && typeof SharedArrayBuffer === 'function') compiled = new wa.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A shared memory of pages x 64 KiB that can grow to maximum pages (views into a shared memory never detach). */
export function createSharedMemory(pages: number, maximum: number = pages): WasmMemory {
  const wa = wasmApi();
  if (!wa) throw new Error('WebAssembly is not available');
  return new wa.Memory({ initial: pages, maximum, shared: true });
}

/** The host functions the kernels import. */
export const KERNEL_IMPORTS = { hostExp: Math.exp, hostTanh: Math.tanh, hostLog: Math.log };

/**
 * An instance of module on memory. With native kernels registered (native-kernels.ts), its sparse forward() and
 * backward() run the first layer natively (gather, scatter) and the rest in WebAssembly, and step() and stepRows()
 * run natively: the same numbers, bit for bit (each image's first-layer sums and the other layers touch disjoint
 * memory, so the order of the parts is free).
 */
export function instantiate(module: WasmModule, memory: WasmMemory): KernelExports {
  const wa = wasmApi();
  if (!wa) throw new Error('WebAssembly is not available');
  const k = new wa.Instance(module, { env: { memory }, kernels: KERNEL_IMPORTS }).exports as KernelExports;
  const native = nativeKernels();
  return native ? withNativeFirstLayer(k, native, memory) : k;
}

function withNativeFirstLayer(k: KernelExports, native: NativeKernels, memory: WasmMemory): KernelExports {
  // A view of the whole memory, renewed when it has grown (a shared memory grows in place: views never detach).
  let view = new Uint8Array(memory.buffer);
  const mem = () => (view.byteLength === memory.buffer.byteLength ? view : (view = new Uint8Array(memory.buffer)));
  return {
    ...k,
    forward(a, z, H, w1, b1, w2, b2, start, packed, unit, idx, count, act) {
      native.gather(mem(), a, H, w1, b1, start, packed, unit, idx, count);
      k.forwardRows(a, z, H, w2, b2, count, act);
    },
    backward(a, dz, dh, H, w2, gw1, gb1, gw2, gb2, start, packed, unit, idx, count, act, mark, list, listLen) {
      k.backwardRows(a, dz, dh, H, w2, gb1, gw2, gb2, count, act);
      native.scatter(mem(), gw1, H, dh, start, packed, unit, idx, count, mark, list, listLen);
    },
    step: (w, g, v, n, lr, d) => (native.step(mem(), w, g, v, n, lr, d) ? 1 : 0),
    stepRows: (w, g, v, H, lr, d, mark, list, listLen) =>
      native.stepRows(mem(), w, g, v, H, lr, d, mark, list, listLen) ? 1 : 0,
  };
}
