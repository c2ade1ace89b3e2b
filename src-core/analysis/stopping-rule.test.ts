import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../contracts/train-protocol';
import { chanceLevel, collapseIndex, CHANCE_MARGIN, COLLAPSE_EVALS } from './collapse';
import { earlyStopSummary } from './sentence';
import { stopRule, stopRuleOf } from './stopping-rule';

// The lab's one stopping rule (validation loss, improvement = strictly lower, patience P), checked against an
// oracle written here from the rule's words, on hand-made curves and random ones.

/** Oracle: walk the curve; best = lowest so far; count evaluations since the best; stop when the count reaches P. */
function oracle(v: number[], P: number): { stop: number | null; kept: number } {
  let kept = -1;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) return { stop: i, kept };
    if (kept === -1 || v[i] < v[kept]) kept = i;
    else if (i - kept >= P) return { stop: i, kept };
  }
  return { stop: null, kept };
}

/** The trainer's way: after every evaluation, the rule on the curve so far; it stops at the first prefix whose last index is the stop. */
function incremental(v: number[], P: number): number | null {
  for (let n = 1; n <= v.length; n++) {
    const r = stopRule(v.slice(0, n), P);
    if (r.stopIndex === n - 1) return n - 1;
  }
  return null;
}

const pt = (iter: number, valLoss: number, testAcc = 0.9): EvalPoint => ({
  iter,
  epoch: 0,
  examples: 0,
  trainLoss: 0,
  trainAcc: 0,
  testLoss: 1,
  testAcc,
  valLoss,
  valAcc: 0.9,
  elapsedMs: 0,
});

describe('the stopping rule (validation loss)', () => {
  it('hand-made curves: a clean minimum, a tie, a late improvement, a NaN', () => {
    // minimum at 2, then P = 2 worse ones: stops at 4, keeps 2.
    expect(stopRule([3, 2, 1, 1.5, 1.2, 0.5], 2)).toMatchObject({ stopIndex: 4, keptIndex: 2, bestIndex: 2 });
    // A tie is no improvement (strictly lower only): stops at 3, keeps 1.
    expect(stopRule([2, 1, 1, 1], 2)).toMatchObject({ stopIndex: 3, keptIndex: 1 });
    // An improvement at the P-th evaluation resets the count: never stops with P = 3.
    expect(stopRule([2, 1, 1.1, 1.2, 0.9, 1.0, 1.1], 3)).toMatchObject({ stopIndex: null, bestIndex: 4 });
    // Non-finite stops at once and keeps the last best.
    expect(stopRule([2, 1, NaN, 0.1], 5)).toMatchObject({ stopIndex: 2, reason: 'non-finite', keptIndex: 1 });
    // Without early stopping: the best point is the lowest value, first on ties.
    expect(stopRule([2, 0.5, 0.7, 0.5], null)).toMatchObject({ stopIndex: null, bestIndex: 1 });
    // Plateaus: from the kept value, at least P evaluations without a lower one.
    expect(stopRule([3, 2, 2.5, 2.4, 2.1, 1, 1.5], 3).plateaus).toEqual([{ from: 1, to: 4 }]);
  });

  it("agrees with the oracle, and the trainer's prefix-by-prefix use agrees with the panel's whole-curve use, for every (curve, patience)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 20 }).map((k) => k / 10),
            fc.constant(NaN),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 12 }),
        (v, P) => {
          const whole = stopRule(v, P);
          const o = oracle(v, P);
          expect(whole.stopIndex).toBe(o.stop);
          expect(whole.keptIndex).toBe(o.kept);
          expect(incremental(v, P)).toBe(whole.stopIndex);
          // The panel reads recorded points: the same answer.
          const panel = stopRuleOf(
            v.map((x, i) => pt((i + 1) * 10, x)),
            P,
          )!;
          expect(panel.stopIndex).toBe(whole.stopIndex);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never looks at the test set: changing every test number changes neither the stop nor the best point', () => {
    const v = [1, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9];
    const a = stopRuleOf(
      v.map((x, i) => pt(i + 1, x, 0.5)),
      2,
    )!;
    const b = stopRuleOf(
      v.map((x, i) => pt(i + 1, x, 0.99 - i / 100)),
      2,
    )!;
    expect([a.stopIndex, a.bestIndex]).toEqual([b.stopIndex, b.bestIndex]);
    expect(a.stopIndex).toBe(4);
    expect(
      earlyStopSummary(
        v.map((x, i) => pt(i + 1, x)),
        2,
      ).sentence,
    ).toContain('stops at iteration 5, restoring the weights of iteration 3');
  });
});

describe('collapse: accuracy at chance', () => {
  it('chance = max(1/10, the most frequent class share)', () => {
    expect(chanceLevel(Uint8Array.from({ length: 100 }, (_, i) => i % 10))).toBe(0.1);
    // 30 of 100 are class 7: chance 0.3.
    expect(chanceLevel(Uint8Array.from({ length: 100 }, (_, i) => (i < 30 ? 7 : i % 7)))).toBeCloseTo(0.3, 12);
  });

  it(`collapsed = the last ${COLLAPSE_EVALS} evaluations within ${CHANCE_MARGIN * 100} pp of chance; at the first of the final stretch`, () => {
    const c = 0.1;
    expect(collapseIndex([0.5, 0.8, 0.11, 0.1, 0.09, 0.1], c)).toBe(2);
    expect(collapseIndex([0.5, 0.8, 0.85, 0.1, 0.1], c)).toBeNull(); // only 2 at the end
    expect(collapseIndex([0.5, 0.1, 0.1, 0.1, 0.6], c)).toBeNull(); // recovered
    expect(collapseIndex([0.5, 0.1 + CHANCE_MARGIN + 0.001, 0.1, 0.1, 0.1], c)).toBe(2); // just above the margin is not chance
    expect(collapseIndex([0.1, 0.1], c)).toBeNull(); // too few evaluations to call it sustained
    expect(collapseIndex([0.1, 0.1, 0.1], c)).toBe(0); // never left chance
    expect(collapseIndex([0.5, 0.1, NaN, 0.1, 0.1, 0.1], c)).toBe(3); // NaN is not "at chance" (a diverged run has its own status)
    expect(collapseIndex([], c)).toBeNull();
  });
});
