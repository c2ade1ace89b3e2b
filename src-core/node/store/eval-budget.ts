import type { Db } from './open-db';

// How many evaluations one run keeps. An evaluation row carries the test
// set's predictions and misclassified digits (10-30 KB on MNIST), so a valid
// setting such as --batch 1 --eval-every 1 would otherwise grow the database
// by megabytes a second, without bound. Past MAX_KEPT_EVALS rows the run
// keeps every s-th evaluation (s doubling each time the budget fills again,
// counted on the evaluation grid iter / evalEvery) plus, always, the first,
// the best (highest finite test accuracy, earliest on ties: the point the
// run summary reports) and the latest. The standard run (38 evaluations)
// never reaches the budget.

export const MAX_KEPT_EVALS = 256;

interface Protected {
  first: number | null;
  last: number | null;
  best: number | null;
}

function protectedIters(db: Db, runId: string): Protected {
  const one = (sql: string) => (db.prepare(sql).pluck().get(runId) as number | undefined) ?? null;
  return {
    first: one('SELECT MIN(iter) FROM evals WHERE run_id = ?'),
    last: one('SELECT MAX(iter) FROM evals WHERE run_id = ?'),
    best: one(
      `SELECT iter FROM evals WHERE run_id = ? AND typeof(test_acc) IN ('real', 'integer') ORDER BY test_acc DESC, iter ASC LIMIT 1`,
    ),
  };
}

function dropOffGrid(db: Db, runId: string, evalEvery: number, stride: number): void {
  const p = protectedIters(db, runId);
  db.prepare(
    `DELETE FROM evals WHERE run_id = ? AND ((iter / ?) % ?) != 0
       AND iter IS NOT ? AND iter IS NOT ? AND iter IS NOT ?`,
  ).run(runId, evalEvery, stride, p.first, p.last, p.best);
}

/**
 * Keep a run's evaluations within the budget after one was appended; returns
 * the stride now in force (1 = every evaluation kept). Call inside the
 * transaction that appended the evaluation.
 */
export function thinEvals(db: Db, runId: string, evalEvery: number, stride: number, max = MAX_KEPT_EVALS): number {
  const every = Math.max(1, Math.floor(evalEvery));
  const count = () => db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ?').pluck().get(runId) as number;
  // Between thinnings only the previous latest (or a dethroned best) can be off the grid: drop it.
  if (stride > 1) dropOffGrid(db, runId, every, stride);
  while (count() > max && stride < 2 ** 40) {
    stride *= 2;
    dropOffGrid(db, runId, every, stride);
  }
  return stride;
}

/** One sentence on what a thinned run kept, for its message. */
export function keptSentence(kept: number, seen: number, stride: number): string {
  return `kept ${kept} of ${seen} evaluations (one in every ${stride} on the evaluation grid, plus the first, the best and the last: a run keeps at most ${MAX_KEPT_EVALS})`;
}
