import type { EvalPoint } from '../contracts/train-protocol';
import { earlyStop, type EarlyStop, type EarlyStopOptions } from './early-stopping';

// The early-stopping summary of a run, in one sentence, on the test error
// (1 - test accuracy) of its evaluations.

export interface EarlyStopSummary extends EarlyStop {
  /** Test error per evaluation: 1 - testAcc. */
  errors: number[];
  sentence: string;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : String(v));
const iterText = (n: number) => n.toLocaleString('en-US');

/** e = 1 - acc per evaluation; then earlyStop(e, options) and the sentence that says what it means. */
export function earlyStopSummary(points: readonly EvalPoint[], options: EarlyStopOptions): EarlyStopSummary {
  const errors = points.map((p) => 1 - p.testAcc);
  const res = earlyStop(errors, options);
  const P = options.patience;
  const last = errors.length - 1;
  let sentence: string;
  if (errors.length === 0) {
    sentence = 'No evaluation yet: early stopping needs the test error of at least one evaluation.';
  } else if (res.stopIndex === null) {
    const min = res.minIndex >= 0 ? ` The lowest test error was ${pct(errors[res.minIndex])} at iteration ${iterText(points[res.minIndex].iter)}.` : '';
    const since = last - res.keptIndex;
    sentence = `Early stopping with patience ${P} would not have stopped before the end: the last improvement of the test error (by more than ${pct(options.tolerance)}) came ${since === 0 ? 'at the last evaluation' : `${since} evaluation${since === 1 ? '' : 's'} before the end`}, fewer than ${P}; it ended at ${pct(errors[last])}.${min}`;
  } else {
    const at = points[res.stopIndex].iter;
    const kept = res.keptIndex >= 0 ? errors[res.keptIndex] : NaN;
    const why = res.reason === 'non-finite' ? ' (the run diverged there)' : '';
    const restored = res.keptIndex >= 0 ? ` (restoring the weights of iteration ${iterText(points[res.keptIndex].iter)})` : '';
    sentence = `Early stopping with patience ${P} would have stopped at iteration ${iterText(at)}${why} with test error ${pct(kept)}${restored}, against ${pct(errors[last])} at the end.`;
  }
  return { ...res, errors, sentence };
}
