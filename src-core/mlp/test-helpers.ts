// Shared fixtures for the mlp tests (not part of the library).
import { encodeSparse, type SparseImages } from '../data/sparse-images';
import { rngFor } from '../rng';
import { createParams, initPyTorch, type MlpParams } from './params';

/** count random images of px pixels, about `zeros` of them exactly 0, the rest 1..255. */
export function randomImages(count: number, px: number, seed: number, zeros = 0.8): Uint8Array {
  const r = rngFor(seed, 'images');
  return Uint8Array.from({ length: count * px }, () => (r.nextFloat() < zeros ? 0 : 1 + r.nextInt(255)));
}

export function randomLabels(count: number, seed: number): Uint8Array {
  const r = rngFor(seed, 'labels');
  return Uint8Array.from({ length: count }, () => r.nextInt(10));
}

/** PyTorch-initialised params, with the biases and some weights made larger so every activation regime shows. */
export function randomParams(inputs: number, hidden: number, seed: number, spread = 1): MlpParams {
  const p = createParams(inputs, hidden, 10);
  initPyTorch(p, rngFor(seed, 'init'));
  if (spread !== 1) for (const a of [p.w1, p.b1, p.w2, p.b2]) for (let i = 0; i < a.length; i++) a[i] *= spread;
  return p;
}

export interface Batch {
  images: Uint8Array;
  sparse: SparseImages;
  labels: Uint8Array;
  idx: Int32Array;
}

export function randomBatch(count: number, px: number, seed: number): Batch {
  const images = randomImages(count, px, seed);
  return {
    images,
    sparse: encodeSparse(images, count, px),
    labels: randomLabels(count, seed),
    idx: Int32Array.from({ length: count }, (_, i) => i),
  };
}
