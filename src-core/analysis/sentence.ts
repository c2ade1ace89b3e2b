import type { EvalPoint } from '../contracts/train-protocol';
import { fmtPct } from '../format';
import { stopRuleOf, type StopRule } from './stopping-rule';

// The early-stopping summary of a run, in one sentence, by the lab's one rule
// (stopping-rule.ts) on the validation loss of its evaluations. The test
// accuracy is named only as a report of what the chosen point scores.

export interface EarlyStopSummary extends StopRule {
  sentence: string;
}

/** The summary when the run has no validation set: nothing is chosen (choosing on the test set would flatter it). */
export interface NoValidationSummary {
  monitored: null;
  sentence: string;
}

const pct = (v: number) => fmtPct(v);
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));
const iterText = (n: number) => n.toLocaleString('en-US');

/** The rule with patience P on the curve's validation losses, and the sentence that says what it means. */
export function earlyStopSummary(
  points: readonly EvalPoint[],
  patience: number,
): EarlyStopSummary | NoValidationSummary {
  if (points.length === 0)
    return {
      monitored: null,
      sentence: 'No evaluation yet: early stopping needs the validation loss of at least one evaluation.',
    };
  const res = stopRuleOf(points, patience);
  if (!res) {
    return {
      monitored: null,
      sentence:
        'This run has no validation set, so no stopping point is chosen: choosing it on the test set would flatter the test accuracy. Train with a validation set (Validation images > 0) to see where early stopping stops.',
    };
  }
  const v = res.monitored;
  const last = v.length - 1;
  const testAt = (i: number) => `test accuracy there ${pct(points[i].testAcc)}`;
  let sentence: string;
  if (res.stopIndex === null) {
    const since = last - res.keptIndex;
    const best =
      res.bestIndex >= 0
        ? ` The lowest validation loss was ${num(v[res.bestIndex])} at iteration ${iterText(points[res.bestIndex].iter)} (${testAt(res.bestIndex)}).`
        : '';
    sentence = `Early stopping with patience ${patience} on the validation loss does not stop before the end: the last improvement came ${since === 0 ? 'at the last evaluation' : `${since} evaluation${since === 1 ? '' : 's'} before the end`}, fewer than ${patience}; it ended at ${num(v[last])}.${best}`;
  } else {
    const at = points[res.stopIndex].iter;
    const why = res.reason === 'non-finite' ? ' (the run diverged there)' : '';
    const kept =
      res.keptIndex >= 0
        ? ` restoring the weights of iteration ${iterText(points[res.keptIndex].iter)} (validation loss ${num(v[res.keptIndex])}, ${testAt(res.keptIndex)})`
        : ' with no finite point to restore';
    sentence = `Early stopping with patience ${patience} on the validation loss stops at iteration ${iterText(at)}${why},${kept}, against ${pct(points[last].testAcc)} test accuracy at the end.`;
  }
  return { ...res, sentence };
}
