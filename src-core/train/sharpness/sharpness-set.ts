import { encodeSparse, type SparseImages } from '../../data/sparse-images';

// The sharpness set: the fixed images the training-loss Hessian is measured
// on. By default the first N images of the training file in file order
// (N = 1,000), whether or not a validation split holds some of them, so anyone
// can reproduce a measurement from the files and the saved weights alone. A
// run on a subset measures on its subset instead (the loss it minimises):
// the subset's images in file order, its first N when it has more than N.

export const DEFAULT_SHARPNESS_BATCH = 1000;
/** Largest N accepted (the size of MNIST's training file). */
export const MAX_SHARPNESS_BATCH = 60_000;

export interface SharpnessSet {
  /** Training-file image numbers, ascending. */
  indices: Int32Array;
  /** 'first-n': the first N images of the training file; 'subset': the run's training subset (its first N). */
  source: 'first-n' | 'subset';
  /** The N asked for (indices may be fewer: a small file or subset). */
  requested: number;
}

/** The sharpness set of a run on trainCount training images, trained on `subset` (null: all of them). */
export function sharpnessSet(
  trainCount: number,
  n: number = DEFAULT_SHARPNESS_BATCH,
  subset: ArrayLike<number> | null = null,
): SharpnessSet {
  if (!Number.isInteger(trainCount) || trainCount < 1)
    throw new RangeError(`sharpnessSet: trainCount must be a positive integer, got ${trainCount}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARPNESS_BATCH)
    throw new RangeError(`sharpnessSet: N must be an integer in [1, ${MAX_SHARPNESS_BATCH}], got ${n}`);
  if (subset === null)
    return {
      indices: Int32Array.from({ length: Math.min(n, trainCount) }, (_, i) => i),
      source: 'first-n',
      requested: n,
    };
  if (subset.length < 1) throw new RangeError('sharpnessSet: the subset is empty');
  const sorted = Int32Array.from(subset).sort();
  for (let k = 0; k < sorted.length; k++) {
    if (!(sorted[k] >= 0 && sorted[k] < trainCount))
      throw new RangeError(`sharpnessSet: subset image ${sorted[k]} is outside [0, ${trainCount})`);
    if (k > 0 && sorted[k] === sorted[k - 1])
      throw new RangeError(`sharpnessSet: subset image ${sorted[k]} is listed twice`);
  }
  return { indices: sorted.slice(0, Math.min(n, sorted.length)), source: 'subset', requested: n };
}

/** A sentence naming the set, e.g. "the first 1,000 training images" or "the run's 100-image training subset". */
export function describeSharpnessSet(set: SharpnessSet): string {
  const n = set.indices.length.toLocaleString('en-US');
  if (set.source === 'first-n') return `the first ${n} training images (file order)`;
  return set.indices.length < set.requested
    ? `the run's ${n}-image training subset`
    : `the first ${n} images (file order) of the run's training subset`;
}

export interface SharpnessData {
  /** CSR of just the set's images, compact: image k is set.indices[k]. */
  images: SparseImages;
  labels: Uint8Array;
  /** 0 .. count − 1. */
  idx: Int32Array;
}

/** The set's images (grey levels, count x pixels of the training file) packed as a compact CSR set with its labels. */
export function sharpnessData(
  trainImages: Uint8Array,
  trainLabels: Uint8Array,
  pixels: number,
  set: SharpnessSet,
): SharpnessData {
  const n = set.indices.length;
  const images = new Uint8Array(n * pixels);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const s = set.indices[k];
    if ((s + 1) * pixels > trainImages.length || s >= trainLabels.length)
      throw new RangeError(`sharpnessData: image ${s} is outside the training file`);
    images.set(trainImages.subarray(s * pixels, (s + 1) * pixels), k * pixels);
    labels[k] = trainLabels[s];
  }
  return { images: encodeSparse(images, n, pixels), labels, idx: Int32Array.from({ length: n }, (_, i) => i) };
}
