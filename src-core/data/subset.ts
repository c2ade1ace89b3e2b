import { LabError } from '../contracts/lab-error';
import { NUM_CLASSES } from '../contracts/train-protocol';
import type { Rng } from '../rng';

/** Images per class: counts[k] = #{i : labels[i] = k}, for labels in [0, classes). */
export function classCounts(labels: Uint8Array, classes: number = NUM_CLASSES): number[] {
  if (!Number.isInteger(classes) || classes < 1)
    throw new RangeError(`classCounts: classes must be a positive integer, got ${classes}`);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y >= classes) throw new RangeError(`classCounts: label ${y} at index ${i} is not below ${classes}`);
    counts[y]++;
  }
  return counts;
}

/**
 * A class-balanced ("uniform") subset: exactly perClass indices of every class,
 * each class's draw a uniform sample without replacement (partial Fisher–Yates
 * over that class's indices), returned sorted ascending.
 */
export function classBalancedSubset(
  labels: Uint8Array,
  perClass: number,
  rng: Rng,
  classes: number = NUM_CLASSES,
): Int32Array {
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new RangeError(`classBalancedSubset: perClass must be a positive integer, got ${perClass}`);
  const counts = classCounts(labels, classes);
  for (let k = 0; k < classes; k++) {
    if (counts[k] < perClass) {
      throw new LabError(
        'invalid-input',
        `perClass: ${perClass} per class asked, but class ${k} has only ${counts[k]} training images`,
      );
    }
  }
  const byClass = counts.map((n) => new Int32Array(n));
  const fill = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]][fill[labels[i]]++] = i;
  const out = new Int32Array(perClass * classes);
  let o = 0;
  for (let k = 0; k < classes; k++) {
    const pool = byClass[k];
    // Partial Fisher–Yates: the first perClass slots become a uniform sample.
    for (let i = 0; i < perClass; i++) {
      const j = i + rng.nextInt(pool.length - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      out[o++] = pool[i];
    }
  }
  return out.sort();
}
