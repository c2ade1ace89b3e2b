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
    Number.isInteger(hidden) &&
    Number.isInteger(inputs) &&
    hidden >= 1 &&
    inputs >= 1 &&
    hidden <= MAX_WEIGHT_HIDDEN &&
    inputs <= MAX_WEIGHT_INPUTS &&
    hidden * inputs <= MAX_WEIGHT_VALUES &&
    values === hidden * inputs
  );
}

/**
 * Record a run's first-layer weights at evaluation `iter`, in one transaction:
 * it becomes the latest; the previous latest is dropped unless it is part of
 * the log-spaced history. A matrix of the wrong size is refused.
 */
export function appendWeights(
  db: Db,
  runId: string,
  iter: number,
  hidden: number,
  inputs: number,
  w1: Float32Array,
  rest?: NetworkRest | null,
): void {
  if (!weightsShapeOk(hidden, inputs, w1.length)) {
    throw new RangeError(`weights of run ${runId}: ${w1.length} values for ${hidden} x ${inputs}`);
  }
  const restBad = rest ? restShapeError(hidden, rest.b1.length, rest.w2.length, rest.b2.length) : null;
  if (restBad) throw new RangeError(`weights of run ${runId}: ${restBad}`);
  db.transaction(() => {
    // The ordinal of this evaluation among the run's evaluations (its 'eval' message is recorded just before).
    const ordinal = db
      .prepare('SELECT COUNT(*) FROM evals WHERE run_id = ? AND iter <= ?')
      .pluck()
      .get(runId, iter) as number;
    db.prepare(
      'INSERT OR REPLACE INTO weights (run_id, iter, hidden, inputs, w1, history, b1, w2, b2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      runId,
      iter,
      hidden,
      inputs,
      toBlob(w1),
      isHistoryOrdinal(Math.max(1, ordinal)) ? 1 : 0,
      rest ? toBlob(rest.b1) : null,
      rest ? toBlob(rest.w2) : null,
      rest ? toBlob(rest.b2) : null,
    );
    db.prepare('DELETE FROM weights WHERE run_id = ? AND history = 0 AND iter < ?').run(runId, iter);
  })();
}

/** The iterations whose weights are kept for a run, ascending. */
export function weightIters(db: Db, runId: string): number[] {
  const iter = z.object({ iter: WeightsRowSchema.shape.iter });
  return db
    .prepare('SELECT iter FROM weights WHERE run_id = ? ORDER BY iter')
    .pluck()
    .all(runId)
    .map((v) => parseRow('weights', iter, { iter: v }, `run ${runId}`).iter);
}

/** A run's first-layer weights at evaluation `iter` (default: the latest kept), or null when none were recorded. */
export function readWeights(db: Db, runId: string, iter?: number): RunWeights | null {
  const iters = weightIters(db, runId);
  if (iters.length === 0) return null;
  const at = iter ?? iters[iters.length - 1];
  const raw = db.prepare('SELECT * FROM weights WHERE run_id = ? AND iter = ?').get(runId, at);
  if (!raw)
    throw new LabError('not-found', `run ${runId} has no weights kept for iteration ${at} (kept: ${iters.join(', ')})`);
  const row = parseRow('weights', WeightsRowSchema, raw, `run ${runId} at iteration ${at}`);
  if (!weightsShapeOk(row.hidden, row.inputs, row.w1.byteLength / 4)) {
    throw new BadRowError(
      'weights',
      'w1',
      `run ${runId} at iteration ${at}`,
      `${row.w1.byteLength} bytes is not ${row.hidden} x ${row.inputs} Float32 values within the bounds`,
    );
  }
  const where = `run ${runId} at iteration ${at}`;
  const parts = [row.b1, row.w2, row.b2];
  let rest: RunWeights['rest'] = null;
  if (parts.some((b) => b != null)) {
    if (parts.some((b) => b == null))
      throw new BadRowError('weights', 'b1', where, 'b1, w2 and b2 must be all present or all NULL');
    const b1 = blobAs.f32(row.b1!);
    const w2 = blobAs.f32(row.w2!);
    const b2 = blobAs.f32(row.b2!);
    const bad = restShapeError(row.hidden, b1.length, w2.length, b2.length);
    if (bad) throw new BadRowError('weights', 'w2', where, bad);
    rest = { outputs: b2.length, b1, w2, b2 };
  }
  return { iter: row.iter, hidden: row.hidden, inputs: row.inputs, w1: blobAs.f32(row.w1), rest, iters };
}

/** The second layer and the biases of a kept evaluation (PyTorch layouts). */
export interface NetworkRest {
  b1: Float32Array;
  /** outputs x hidden (fc2.weight). */
  w2: Float32Array;
  b2: Float32Array;
}

/** Most outputs a kept network may have (the lab's digits have 10). */
export const MAX_WEIGHT_OUTPUTS = 1024;

/** Why b1, w2, b2 of these lengths do not fit a layer of `hidden` units, or null when they do. */
export function restShapeError(hidden: number, b1: number, w2: number, b2: number): string | null {
  if (b1 !== hidden) return `b1 has ${b1} values, not ${hidden} (one per hidden unit)`;
  if (!(b2 >= 1 && b2 <= MAX_WEIGHT_OUTPUTS)) return `b2 has ${b2} values, not between 1 and ${MAX_WEIGHT_OUTPUTS}`;
  if (w2 !== b2 * hidden) return `w2 has ${w2} values, not ${b2} x ${hidden}`;
  return null;
}
