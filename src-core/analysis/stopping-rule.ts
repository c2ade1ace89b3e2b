import type { EvalPoint } from '../contracts/train-protocol';
import { earlyStop, findPlateaus, type EarlyStop, type Plateau } from './early-stopping';

// THE early-stopping rule of the lab, used by the trainer (after every
// evaluation, on the curve so far) and by the analysis panel (on the recorded
// curve): it monitors the VALIDATION loss (images carved out of the training
// file, never trained on), so the stopping point, the plateaus and the best
// point are never chosen on the test set the lab reports. Improvement = a
// validation loss strictly below the best so far (tolerance 0); stop after P
// evaluations in a row without one, keeping the best evaluation's weights; stop
// at once on a non-finite value. The rule only looks backwards, so applying it
// to every prefix as the trainer does stops at the same evaluation as applying
// it once to the whole curve.

/** An improvement must beat the best validation loss so far by more than this. */
export const STOP_TOLERANCE = 0;

export interface StopRule extends EarlyStop {
  /** The monitored values: validation loss per evaluation. */
  monitored: number[];
  /** Stretches of at least P evaluations without an improvement (shaded in the panel). */
  plateaus: Plateau[];
  /** The best point: the evaluation whose weights early stopping keeps (when it stops), else the lowest validation loss; -1 if none. */
  bestIndex: number;
}

/**
 * The rule on a series of validation losses. patience null = no early stopping (stopIndex stays null unless a
 * value is non-finite, the best point is the lowest value, first on ties, and no plateaus are marked).
 */
export function stopRule(valLosses: ArrayLike<number>, patience: number | null): StopRule {
  const monitored = Array.from(valLosses);
  if (patience === null) {
    const all = earlyStop(monitored, { patience: Math.max(1, monitored.length + 1), tolerance: STOP_TOLERANCE });
    return { ...all, monitored, plateaus: [], bestIndex: all.minIndex };
  }
  const res = earlyStop(monitored, { patience, tolerance: STOP_TOLERANCE });
  const plateaus = findPlateaus(monitored, { patience, tolerance: STOP_TOLERANCE });
  return { ...res, monitored, plateaus, bestIndex: res.stopIndex !== null ? res.keptIndex : res.minIndex };
}

/** The validation losses of a recorded curve, or null when the run had no validation set (a point without one). */
export function validationLosses(points: readonly EvalPoint[]): number[] | null {
  if (points.length === 0 || points.some((p) => p.valLoss === undefined || p.valLoss === null)) return null;
  return points.map((p) => p.valLoss as number);
}

/** The rule on a recorded curve: null when it has no validation set. */
export function stopRuleOf(points: readonly EvalPoint[], patience: number | null): StopRule | null {
  const v = validationLosses(points);
  return v ? stopRule(v, patience) : null;
}
