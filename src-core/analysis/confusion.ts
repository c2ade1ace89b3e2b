import { NUM_CLASSES } from '../contracts/train-protocol';

// The confusion matrix of one evaluation (row = true class, column =
// predicted class), what it says per class, and which test images sit in a cell.

/** C[t*K + p] = #{i : labels[i] = t, predicted[i] = p}. */
export function confusionOf(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number = NUM_CLASSES,
): Int32Array {
  if (labels.length !== predicted.length)
    throw new RangeError(`confusionOf: ${labels.length} labels but ${predicted.length} predictions`);
  const c = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predicted[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes))
      throw new RangeError(`confusionOf: class out of range at ${i} (true ${t}, predicted ${p})`);
    c[t * classes + p]++;
  }
  return c;
}

/** Row sums: how many test images of each true class (n_t = sum_p C[t, p]). */
export function rowSums(confusion: ArrayLike<number>, classes: number = NUM_CLASSES): number[] {
  if (confusion.length !== classes * classes)
    throw new RangeError(`rowSums: expected ${classes * classes} cells, got ${confusion.length}`);
  return Array.from({ length: classes }, (_, t) => {
    let s = 0;
    for (let p = 0; p < classes; p++) s += confusion[t * classes + p];
    return s;
  });
}

export interface ClassAccuracy {
  cls: number;
  correct: number;
  total: number;
  /** correct / total (recall of the class); NaN when the class has no test image. */
  acc: number;
}

/** Per-class accuracy: acc_t = C[t, t] / sum_p C[t, p]. */
export function perClassAccuracy(confusion: ArrayLike<number>, classes: number = NUM_CLASSES): ClassAccuracy[] {
  const totals = rowSums(confusion, classes);
  return totals.map((total, t) => {
    const correct = confusion[t * classes + t];
    return { cls: t, correct, total, acc: total > 0 ? correct / total : NaN };
  });
}

/** Test indices i with labels[i] = truth and predicted[i] = pred, ascending: the digits of one confusion cell. */
export function cellIndices(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  truth: number,
  pred: number,
): Int32Array {
  if (labels.length !== predicted.length)
    throw new RangeError(`cellIndices: ${labels.length} labels but ${predicted.length} predictions`);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === truth && predicted[i] === pred) out.push(i);
  return Int32Array.from(out);
}
