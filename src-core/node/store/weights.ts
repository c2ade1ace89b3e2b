import { z } from 'zod';
import { LabError } from '../../contracts/lab-error';
import type { RunWeights } from '../../contracts/session-types';
import { toBlob } from './codec';
import { BadRowError, blobAs, parseRow, WeightsRowSchema } from './row-schema';
import type { Db } from './open-db';

// First-layer weights of a run (the 'weights' trainer message: hidden x
// inputs, unit-major). Each evaluation's matrix is ~200 KB for 784-64-10, so
// a 38-evaluation run would add 7.6 MB if every one were kept. The store keeps
//   - the latest evaluation's weights (what a reopened run shows first), and
//   - a log-spaced history: the 1st, 4th, 16th, 64th, ... evaluation.
// The weight images change fastest early in training and barely at the end,
// so log spacing keeps the frames where something visible happens, and a run
// of n evaluations stores at most log4(n) + 2 matrices (4 for 38 evaluations,
// ~0.8 MB) however long it trains.

/** Largest first layer kept or imported (values): 4096 hidden units x 4096 inputs, 64 MiB. */
export const MAX_WEIGHT_VALUES = 4096 * 4096;
/** Input count bound (an IDX image of up to 256 x 256 pixels). */
export const MAX_WEIGHT_INPUTS = 65_536;
/**
 * Most matrices a run can keep: the history of a run of 2^53 evaluations
 * (log4 < 27) and the latest. An imported file with more is refused.
 */
export const MAX_WEIGHT_SNAPSHOTS = 28;
/** Hidden units bound: TrainConfig's. */
export const MAX_WEIGHT_HIDDEN = 4096;

/** True when the n-th evaluation (1-based) belongs to the kept history: n = 1, 4, 16, 64, ... */
export function isHistoryOrdinal(n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false;
  while (n % 4 === 0) n /= 4;
  return n === 1;
}

export function weightsShapeOk(hidden: number, inputs: number, values: number): boolean {
  return (
    Number.isInteger(hidden) && Number.isInteger(inputs) && hidden >= 1 && inputs >= 1 &&
    hidden <= MAX_WEIGHT_HIDDEN && inputs <= MAX_WEIGHT_INPUTS && hidden * inputs <= MAX_WEIGHT_VALUES && values === hidden * inputs
  );
}

/**
 * Record a run's first-layer weights at evaluation `iter`, in one transaction:
 * it becomes the latest; the previous latest is dropped unless it is part of
 * the log-spaced history. A matrix of the wrong size is refused.
 */
export function appendWeights(db: Db, runId: string, iter: number, hidden: number, inputs: number, w1: Float32Array): void {
  if (!weightsShapeOk(hidden, inputs, w1.length)) {
    throw new RangeError(`weights of run ${runId}: ${w1.length} values for ${hidden} x ${inputs}`);
  }
  db.transaction(() => {
    // The ordinal of this evaluation among the run's evaluations (its 'eval' message is recorded just before).
    const ordinal = db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ? AND iter <= ?').pluck().get(runId, iter) as number;
    db.prepare('INSERT OR REPLACE INTO weights (run_id, iter, hidden, inputs, w1, history) VALUES (?, ?, ?, ?, ?, ?)').run(
      runId, iter, hidden, inputs, toBlob(w1), isHistoryOrdinal(Math.max(1, ordinal)) ? 1 : 0,
    );
    db.prepare('DELETE FROM weights WHERE run_id = ? AND history = 0 AND iter < ?').run(runId, iter);
  })();
}

/** The iterations whose weights are kept for a run, ascending. */
export function weightIters(db: Db, runId: string): number[] {
  const iter = z.object({ iter: WeightsRowSchema.shape.iter });
  return db.prepare('SELECT iter FROM weights WHERE run_id = ? ORDER BY iter').pluck().all(runId).map((v) => parseRow('weights', iter, { iter: v }, `run ${runId}`).iter);
}

/** A run's first-layer weights at evaluation `iter` (default: the latest kept), or null when none were recorded. */
export function readWeights(db: Db, runId: string, iter?: number): RunWeights | null {
  const iters = weightIters(db, runId);
  if (iters.length === 0) return null;
  const at = iter ?? iters[iters.length - 1];
  const raw = db.prepare('SELECT run_id, iter, hidden, inputs, w1, history FROM weights WHERE run_id = ? AND iter = ?').get(runId, at);
  if (!raw) throw new LabError('not-found', `run ${runId} has no weights kept for iteration ${at} (kept: ${iters.join(', ')})`);
  const row = parseRow('weights', WeightsRowSchema, raw, `run ${runId} at iteration ${at}`);
  if (!weightsShapeOk(row.hidden, row.inputs, row.w1.byteLength / 4)) {
    throw new BadRowError('weights', 'w1', `run ${runId} at iteration ${at}`, `${row.w1.byteLength} bytes is not ${row.hidden} x ${row.inputs} Float32 values within the bounds`);
  }
  return { iter: row.iter, hidden: row.hidden, inputs: row.inputs, w1: blobAs.f32(row.w1), iters };
}
