import { fmtPct } from '../format';
import { NUM_CLASSES } from '../contracts/train-protocol';

// A run that learned nothing: its accuracy sits at chance. "Chance" is the best
// a model can do without looking at the image: predicting the most frequent
// class of the evaluated set, whose accuracy is that class's share, and never
// less than 1 / 10 (a uniform guess). A run counts as collapsed when its last
// COLLAPSE_EVALS evaluations are all within CHANCE_MARGIN of chance or below
// (sustained: a run with fewer evaluations is never called collapsed); it
// collapsed at the first evaluation of that final stretch. On MNIST a constant prediction scores 8.92-11.35 % on the test
// set (chance there: 11.35 %, the share of the digit 1) and exactly 10 % on the
// class-balanced validation set (chance: 10 %).

/** Accuracy at most this far above chance counts as chance (2 percentage points). */
export const CHANCE_MARGIN = 0.02;
/** The final evaluations that must all sit at chance. */
export const COLLAPSE_EVALS = 3;

/** max(1/10, the largest class share) of the labels of the evaluated set. */
export function chanceLevel(labels: ArrayLike<number>): number {
  if (labels.length === 0) return 1 / NUM_CLASSES;
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return Math.max(1 / NUM_CLASSES, Math.max(...counts) / labels.length);
}

/** Whether one accuracy sits at chance: finite and <= chance + CHANCE_MARGIN. */
export function atChance(acc: number, chance: number): boolean {
  return Number.isFinite(acc) && acc <= chance + CHANCE_MARGIN;
}

/**
 * The index of the evaluation where the run collapsed (the first of the final stretch at chance, which must cover
 * at least the last COLLAPSE_EVALS evaluations), or null when it did not collapse.
 */
export function collapseIndex(accs: ArrayLike<number>, chance: number): number | null {
  const n = accs.length;
  let from = n;
  while (from > 0 && atChance(accs[from - 1], chance)) from--;
  return n - from >= COLLAPSE_EVALS ? from : null;
}

/**
 * The end message of a collapsed run: where it fell to chance, what it ends at, the rule, and whether it had
 * learned anything before (peak = the best accuracy before the final stretch, null if none).
 */
export function collapseMessage(
  iter: number,
  acc: number,
  chance: number,
  what: string,
  peak: { acc: number; iter: number } | null = null,
): string {
  const pct = (v: number) => fmtPct(v);
  const before =
    peak && Number.isFinite(peak.acc) && !atChance(peak.acc, chance)
      ? `; it had reached ${pct(peak.acc)} at iteration ${peak.iter}`
      : '; it never rose above chance';
  return `collapsed: accuracy at chance since iteration ${iter} (${what} accuracy ${pct(acc)} at the end; chance ${pct(chance)}, margin ${CHANCE_MARGIN * 100} pp${before})`;
}
