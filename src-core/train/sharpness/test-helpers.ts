// Shared fixtures for the sharpness tests (not part of the library).
import { denseRows } from '../../data/sparse-images';
import { RELU, type ActCode } from '../../mlp/activation';
import type { LossCode } from '../../mlp/loss';
import { createParams, initPyTorch, toFloat64, type MlpParams } from '../../mlp/params';
import { referenceLossGrad } from '../../mlp/reference';
import { rngFor } from '../../rng';
import { flatSize, flatten, unflatten } from './hvp';

export const PX = 784;

/** PyTorch-initialised float64 parameters 784-hidden-10, scaled by `spread` so every activation regime shows. */
export function params64(hidden: number, seed: number, spread = 1): MlpParams<Float64Array> {
  const p = createParams(PX, hidden, 10);
  initPyTorch(p, rngFor(seed, 'init'));
  const q = toFloat64(p);
  for (const a of [q.w1, q.b1, q.w2, q.b2]) for (let i = 0; i < a.length; i++) a[i] *= spread;
  return q;
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** A seeded unit vector of length n. */
export function unitVector(n: number, seed: number): Float64Array {
  const r = rngFor(seed, 'test-direction');
  const v = Float64Array.from({ length: n }, () => 2 * r.nextFloat() - 1);
  const s = norm(v);
  return v.map((x) => x / s);
}

/**
 * The ORACLE gradient: the lab's dense float64 reference (src-core/mlp/reference.ts, itself gradient-checked by
 * finite differences) at flat parameters theta, flattened.
 */
export function referenceGradient(
  shape: { inputs: number; hidden: number; outputs: number },
  theta: Float64Array,
  act: ActCode,
  loss: LossCode,
  x: Float32Array,
  labels: Uint8Array,
): Float64Array {
  const p = unflatten(shape, theta);
  const g = unflatten(shape, new Float64Array(flatSize(shape)));
  referenceLossGrad(p, act, loss, x, labels, labels.length, g);
  return flatten(g);
}

/** The set's images as dense float rows and their labels (the reference path's input). */
export function denseSet(
  images: Uint8Array,
  labels: Uint8Array,
  indices: Int32Array,
): { x: Float32Array; y: Uint8Array } {
  return { x: denseRows(images, PX, indices), y: Uint8Array.from(indices, (i) => labels[i]) };
}

/**
 * The largest step h along direction v (flat) for which no hidden pre-activation of any image crosses 0 between
 * theta − h v and theta + h v, times a safety factor 1/4: ReLU's loss is smooth there, so central differences apply.
 * Infinity for smooth activations.
 */
export function kinkFreeStep(
  p: MlpParams<Float64Array>,
  act: ActCode,
  v: Float64Array,
  x: Float32Array,
  count: number,
): number {
  if (act !== RELU) return Infinity;
  const { inputs: I, hidden: H } = p;
  let minPre = Infinity;
  let maxRate = 0;
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < H; j++) {
      let pre = p.b1[j];
      let rate = v[I * H + j];
      for (let i = 0; i < I; i++) {
        const xi = x[b * I + i];
        if (xi === 0) continue;
        pre += xi * p.w1[i * H + j];
        rate += xi * v[i * H + j];
      }
      minPre = Math.min(minPre, Math.abs(pre));
      maxRate = Math.max(maxRate, Math.abs(rate));
    }
  }
  return maxRate === 0 ? Infinity : (0.25 * minPre) / maxRate;
}

/** H v by central differences of the reference gradient at theta: (g(theta + h v) - g(theta - h v)) / 2h. */
export function centralDifferenceHv(
  shape: { inputs: number; hidden: number; outputs: number },
  theta: Float64Array,
  v: Float64Array,
  h: number,
  act: ActCode,
  loss: LossCode,
  x: Float32Array,
  labels: Uint8Array,
): Float64Array {
  const gradientAt = (step: number) =>
    referenceGradient(
      shape,
      theta.map((t, i) => t + step * v[i]),
      act,
      loss,
      x,
      labels,
    );
  const up = gradientAt(h);
  const down = gradientAt(-h);
  return up.map((g, i) => (g - down[i]) / (2 * h));
}

/** An operator's product with v, in a new vector. */
export function appliedTo(op: { dim: number; apply(v: Float64Array, out: Float64Array): void }, v: Float64Array) {
  const out = new Float64Array(op.dim);
  op.apply(v, out);
  return out;
}
