// Early stopping on an evaluation curve: the best (lowest) value, and where a
// patience rule would have stopped. The rule is Keras' EarlyStopping
// (monitor, min_delta, patience): an evaluation improves when it is below the
// best so far by more than `tolerance`; after `patience` evaluations in a row
// without improvement training stops, and the best weights are the ones kept.
// A non-finite value (NaN, ±Infinity: the run diverged) stops at once.

export interface EarlyStopOptions {
  /** Evaluations without improvement before stopping (P >= 1). */
  patience: number;
  /** An improvement must beat the best so far by more than this (absolute, >= 0). */
  tolerance: number;
}

export interface EarlyStop {
  /** Index of the lowest finite value (first on ties); -1 if none is finite. */
  minIndex: number;
  /** Index at which the rule stops; null when it never triggers before the end. */
  stopIndex: number | null;
  /** Why it stopped: patience ran out, or the value became non-finite. */
  reason: 'patience' | 'non-finite' | null;
  /** The best value the rule had seen when it stopped (or at the end): the weights early stopping keeps. */
  keptIndex: number;
}

/** Index of the lowest finite value, first on ties; -1 if none. */
export function argminFinite(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && (best < 0 || v < values[best])) best = i;
  }
  return best;
}

/**
 * Early stopping with patience P and tolerance tol on a curve to minimise:
 * improved(i) <=> v_i < best - tol; stop at the P-th evaluation in a row that
 * does not improve, or at the first non-finite v_i.
 */
export function earlyStop(values: ArrayLike<number>, { patience, tolerance }: EarlyStopOptions): EarlyStop {
  if (!Number.isInteger(patience) || patience < 1)
    throw new RangeError(`earlyStop: patience must be a whole number >= 1, got ${patience}`);
  if (!(tolerance >= 0) || !Number.isFinite(tolerance))
    throw new RangeError(`earlyStop: tolerance must be a finite number >= 0, got ${tolerance}`);
  const minIndex = argminFinite(values);
  let kept = -1;
  let wait = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return { minIndex, stopIndex: i, reason: 'non-finite', keptIndex: kept };
    if (kept < 0 || v < values[kept] - tolerance) {
      kept = i;
      wait = 0;
    } else if (++wait >= patience) {
      return { minIndex, stopIndex: i, reason: 'patience', keptIndex: kept };
    }
  }
  return { minIndex, stopIndex: null, reason: null, keptIndex: kept };
}

export interface Plateau {
  /** First index of the plateau (the value that was not beaten). */
  from: number;
  /** Last index of the plateau (inclusive). */
  to: number;
}

/**
 * Plateaus: maximal stretches where no value beats the stretch's first value
 * by more than `tolerance`, lasting at least `patience` evaluations after it
 * (to - from >= P). Non-finite values end a plateau.
 */
export function findPlateaus(values: ArrayLike<number>, { patience, tolerance }: EarlyStopOptions): Plateau[] {
  if (!Number.isInteger(patience) || patience < 1)
    throw new RangeError(`findPlateaus: patience must be a whole number >= 1, got ${patience}`);
  if (!(tolerance >= 0) || !Number.isFinite(tolerance))
    throw new RangeError(`findPlateaus: tolerance must be a finite number >= 0, got ${tolerance}`);
  const out: Plateau[] = [];
  let from = -1;
  const close = (to: number) => {
    if (from >= 0 && to - from >= patience) out.push({ from, to });
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      close(i - 1);
      from = -1;
    } else if (from < 0) {
      from = i;
    } else if (v < values[from] - tolerance) {
      close(i - 1);
      from = i;
    }
  }
  close(values.length - 1);
  return out;
}
