// The native kernels (native/kernels.c, a Node-API addon) as the WebAssembly kernels see them: a host that can load
// the addon registers it here once (src-core/node/native-kernels.ts), and every kernel instance made after that
// (instance.ts) runs the sparse first layer's gather and scatter and the optimizer step natively, the rest in
// WebAssembly. Both compute every float exactly as the WebAssembly kernels do; only the vector width differs.

/** The addon's calls: byte offsets into `memory` (a Uint8Array over the whole WebAssembly memory). */
export interface NativeKernels {
  /** a_b = b1 + sum of x_e W1[row_e, :] over image idx[b]'s nonzero pixels, b < count. */
  gather(
    memory: Uint8Array,
    a: number,
    H: number,
    w1: number,
    b1: number,
    start: number,
    packed: number,
    unit: number,
    idx: number,
    count: number,
  ): void;
  /** gW1[row_e, :] += x_e dh_b over image idx[b]'s nonzero pixels, b < count, each row marked and listed once. */
  scatter(
    memory: Uint8Array,
    g: number,
    H: number,
    dh: number,
    start: number,
    packed: number,
    unit: number,
    idx: number,
    count: number,
    mark: number,
    list: number,
    listLen: number,
  ): void;
  /** The optimizer step on n floats (float64 arithmetic, as the WebAssembly step); true if every new weight is finite. */
  step(memory: Uint8Array, w: number, g: number, v: number, n: number, lr: number, d: number): boolean;
  /** step() on each listed row of an H-wide matrix, its mark cleared, the list emptied; true if all finite. */
  stepRows(
    memory: Uint8Array,
    w: number,
    g: number,
    v: number,
    H: number,
    lr: number,
    d: number,
    mark: number,
    list: number,
    listLen: number,
  ): boolean;
  /** The vector width in use, e.g. "256-bit (AVX2)". */
  readonly vectors: string;
}

let registered: NativeKernels | null = null;

/** Registers the native kernels for the kernel instances made from now on (null: WebAssembly only). */
export function useNativeKernels(kernels: NativeKernels | null): void {
  registered = kernels;
}

/** The registered native kernels, or null. */
export function nativeKernels(): NativeKernels | null {
  return registered;
}
