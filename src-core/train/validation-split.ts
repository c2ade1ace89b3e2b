import { LabError } from '../contracts/lab-error';
import { NUM_CLASSES } from '../contracts/train-protocol';
import { classBalancedSubset, classCounts } from '../data/subset';
import type { Rng } from '../rng';

/** Which training-file images a run trains on and which it validates on (both ascending, disjoint). */
export interface TrainSplit {
  /** The images the run trains on: the class-balanced subset, or every image not in the validation set. */
  train: Int32Array;
  /** The validation images: `size / 10` of every class, none of them trained on; empty when size is 0. */
  validation: Int32Array;
}

/**
 * Carves a class-balanced validation set of `size` images (size / 10 per class) out of the training file. The pool
 * is every image the run does not train on: for a subset run (subset given) the images outside the subset, so a
 * 10-image run still gets the full validation set and its subset is the same as without one; for an all-images run
 * the whole file, and the run then trains on the rest. Each class's draw is a uniform sample without replacement
 * from rng (the seed's own 'validation' stream, so the initial weights, the subset and, for subset runs, the batch
 * order stay those of the seed). Throws LabError('invalid-input') when a class has too few images left.
 */
export function validationSplit(labels: Uint8Array, size: number, subset: Int32Array | null, rng: Rng): TrainSplit {
  if (!Number.isInteger(size) || size < 0 || size % NUM_CLASSES !== 0)
    throw new LabError('invalid-input', `validation: ${size} must be a whole multiple of ${NUM_CLASSES} >= 0`);
  const all = () => Int32Array.from({ length: labels.length }, (_, i) => i);
  if (size === 0) return { train: subset ? subset.slice().sort() : all(), validation: new Int32Array(0) };
  const perClass = size / NUM_CLASSES;
  const used = new Uint8Array(labels.length);
  if (subset) for (const i of subset) used[i] = 1;
  const pool: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!used[i]) pool.push(i);
  const poolIdx = Int32Array.from(pool);
  const poolLabels = Uint8Array.from(pool, (i) => labels[i]);
  const counts = classCounts(poolLabels);
  // An all-images run must keep at least one image of every class to train on.
  const keep = subset ? 0 : 1;
  for (let k = 0; k < NUM_CLASSES; k++) {
    if (counts[k] < perClass + keep) {
      const where = subset ? ' outside the training subset' : '';
      const room = Math.max(0, counts[k] - keep) * NUM_CLASSES;
      throw new LabError(
        'invalid-input',
        `validation: ${perClass} images per class asked (${size} in all), but class ${k} has only ${counts[k]} training images${where}${keep ? ' and needs one left to train on' : ''}; ask for at most ${room}, or 0 for none`,
      );
    }
  }
  const picked = classBalancedSubset(poolLabels, perClass, rng);
  const validation = Int32Array.from(picked, (j) => poolIdx[j]).sort();
  if (subset) return { train: subset.slice().sort(), validation };
  const inVal = new Uint8Array(labels.length);
  for (const i of validation) inVal[i] = 1;
  const train = new Int32Array(labels.length - validation.length);
  let o = 0;
  for (let i = 0; i < labels.length; i++) if (!inVal[i]) train[o++] = i;
  return { train, validation };
}
