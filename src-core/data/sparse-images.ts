// Per-image lists of nonzero pixels, built once per dataset. About 81 % of
// MNIST pixels are exactly zero, so the first layer only needs to visit the
// nonzeros: h = b1 + sum over nonzero i of x_i * W1[i, :].

/** Nonzero pixels of a set of images, in CSR form: image n owns entries [start[n], start[n+1]). */
export interface SparseImages {
  count: number;
  /** Pixels per image (rows * cols). */
  pixels: number;
  /** count + 1 offsets into index/value. */
  start: Int32Array;
  /** Pixel position of each nonzero, ascending within an image. */
  index: Uint16Array;
  /** Grey level (1..255) of each nonzero; its input value is GREY_TO_UNIT[grey] = grey / 255 (one byte per nonzero keeps memory low). */
  grey: Uint8Array;
}

/** The float32 value of every grey level: v = fround(g / 255). */
export const GREY_TO_UNIT: Float32Array = (() => {
  const t = new Float32Array(256);
  for (let g = 0; g < 256; g++) t[g] = g / 255;
  return t;
})();

/** CSR of the nonzero pixels of images (count x pixels grey levels). */
export function encodeSparse(images: Uint8Array, count: number, pixels: number): SparseImages {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`encodeSparse: count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(pixels) || pixels < 1)
    throw new RangeError(`encodeSparse: pixels must be a positive integer, got ${pixels}`);
  if (pixels > 65536)
    throw new RangeError(`encodeSparse: images of ${pixels} pixels exceed the 65,536 a Uint16 index can address`);
  if (images.length !== count * pixels)
    throw new RangeError(`encodeSparse: expected ${count * pixels} bytes, got ${images.length}`);
  // Scan 4 bytes at a time where the buffer allows it: most words of an MNIST image are all zero.
  const aligned = images.byteOffset % 4 === 0 && pixels % 4 === 0;
  const words = aligned ? new Uint32Array(images.buffer, images.byteOffset, images.length >>> 2) : null;
  let nnz = 0;
  if (words) {
    for (let w = 0; w < words.length; w++) {
      const v = words[w];
      if (v !== 0) nnz += (v & 0xff ? 1 : 0) + (v & 0xff00 ? 1 : 0) + (v & 0xff0000 ? 1 : 0) + (v >>> 24 ? 1 : 0);
    }
  } else {
    for (let i = 0; i < images.length; i++) if (images[i] !== 0) nnz++;
  }
  const { start, index, grey } = sparseArrays(count, nnz);
  let o = 0;
  for (let n = 0; n < count; n++) {
    start[n] = o;
    const base = n * pixels;
    if (words) {
      const w0 = base >>> 2;
      for (let w = 0; w < pixels >>> 2; w++) {
        if (words[w0 + w] === 0) continue;
        o = appendNonzero(images, base, w * 4, w * 4 + 4, index, grey, o);
      }
    } else {
      o = appendNonzero(images, base, 0, pixels, index, grey, o);
    }
  }
  start[count] = o;
  return { count, pixels, start, index, grey };
}

/** Writes the nonzero pixels i in [from, to) of the image at `base` to index/grey from position o; returns the next o. */
function appendNonzero(
  images: Uint8Array,
  base: number,
  from: number,
  to: number,
  index: Uint16Array,
  grey: Uint8Array,
  o: number,
): number {
  for (let i = from; i < to; i++) {
    const g = images[base + i];
    if (g !== 0) {
      index[o] = i;
      grey[o] = g;
      o++;
    }
  }
  return o;
}

const cache = new WeakMap<Uint8Array, SparseImages>();

/** encodeSparse, memoised per image buffer (a dataset is encoded once however many runs use it). */
export function sparseOf(images: Uint8Array, count: number, pixels: number): SparseImages {
  const hit = cache.get(images);
  if (hit && hit.count === count && hit.pixels === pixels) return hit;
  const s = encodeSparse(images, count, pixels);
  cache.set(images, s);
  return s;
}

/** Dense float32 rows of the given images: out[b*pixels + i] = images[idx[b]*pixels + i] / 255 (for the reference path and tests). */
export function denseRows(
  images: Uint8Array,
  pixels: number,
  idx: ArrayLike<number>,
  out: Float32Array = new Float32Array(idx.length * pixels),
): Float32Array {
  if (out.length < idx.length * pixels)
    throw new RangeError(`denseRows: out holds ${out.length} floats, need ${idx.length * pixels}`);
  for (let b = 0; b < idx.length; b++) {
    const src = idx[b] * pixels;
    if (src < 0 || src + pixels > images.length) throw new RangeError(`denseRows: image index ${idx[b]} out of range`);
    for (let i = 0; i < pixels; i++) out[b * pixels + i] = GREY_TO_UNIT[images[src + i]];
  }
  return out;
}

/**
 * CSR of only the images listed in `only` (each in [0, count)); every other image gets an empty range.
 * A run on a class-balanced subset encodes just the images it trains on.
 */
export function encodeSparseSubset(
  images: Uint8Array,
  count: number,
  pixels: number,
  only: ArrayLike<number>,
): SparseImages {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(pixels) || pixels < 1 || pixels > 65536)
    throw new RangeError('encodeSparseSubset: bad count or pixels');
  if (images.length !== count * pixels)
    throw new RangeError(`encodeSparseSubset: expected ${count * pixels} bytes, got ${images.length}`);
  const keep = new Uint8Array(count);
  for (let k = 0; k < only.length; k++) {
    const n = only[k];
    if (!(Number.isInteger(n) && n >= 0 && n < count))
      throw new RangeError(`encodeSparseSubset: image ${n} is outside [0, ${count})`);
    keep[n] = 1;
  }
  let nnz = 0;
  for (let n = 0; n < count; n++) {
    if (!keep[n]) continue;
    for (let i = n * pixels; i < (n + 1) * pixels; i++) if (images[i] !== 0) nnz++;
  }
  const { start, index, grey } = sparseArrays(count, nnz);
  let o = 0;
  for (let n = 0; n < count; n++) {
    start[n] = o;
    if (!keep[n]) continue;
    o = appendNonzero(images, n * pixels, 0, pixels, index, grey, o);
  }
  start[count] = o;
  return { count, pixels, start, index, grey };
}

/** The CSR arrays of count images with nnz nonzeros in all, to be filled (start[count] last). */
function sparseArrays(count: number, nnz: number): Pick<SparseImages, 'start' | 'index' | 'grey'> {
  return { start: new Int32Array(count + 1), index: new Uint16Array(nnz), grey: new Uint8Array(nnz) };
}
