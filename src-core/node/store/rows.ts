import type { RunSummary, SessionSummary } from '../../contracts/session-types';
import type { EvalPoint, LayerPoint } from '../../contracts/train-protocol';
import {
  BadRowError,
  EvalPointRowSchema,
  RunRowSchema,
  SessionRowSchema,
  camelized,
  parseIdRow,
  parseRow,
  sqlInt,
  sqlMetric,
} from './row-schema';

// The store's SELECTs and their mapping to the contract types. Every row goes
// through its table's schema (row-schema.ts) on the way out: a damaged or
// forged row is a 'bad-session' error naming the table and column.

const count = sqlInt(0, Number.MAX_SAFE_INTEGER);

export const SESSION_SELECT = `
  SELECT s.id, s.name, s.created_at, s.updated_at,
         (SELECT COUNT(*) FROM runs r WHERE r.session_id = s.id) AS run_count,
         (SELECT COUNT(*) FROM sims m WHERE m.session_id = s.id) AS sim_count
  FROM sessions s`;

const SessionListRow = SessionRowSchema.extend({ run_count: count, sim_count: count });

export function toSession(row: unknown, currentId: number | null): SessionSummary {
  const r = parseIdRow('sessions', SessionListRow, row, 'session');
  return { ...camelized(r), current: r.id === currentId };
}

const FINITE = `typeof(e.test_acc) IN ('real', 'integer')`;
/** The best point of a run with a validation set: the lowest finite validation loss, first on ties (stopRule's best point without early stopping; with it, the restored point at the stop ties with the kept one and the earlier wins). */
const VAL_FINITE = `typeof(e.val_loss) IN ('real', 'integer')`;

/** Runs with their key numbers; append a WHERE clause. */
export const RUN_SELECT = `
  SELECT r.id, r.session_id, r.name, r.notes, r.config, r.dataset_id, r.dataset_name, r.app_version,
         r.status, r.message, r.started_at, r.ended_at, r.train_size, r.test_size, r.iters_per_epoch,
         r.total_iters, r.iters_done, r.elapsed_ms, r.sweep_id, r.study_id, r.study_kind, r.study_name, r.seed_group,
         (SELECT COUNT(*) FROM evals e WHERE e.run_id = r.id) AS eval_count,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id ORDER BY e.iter DESC LIMIT 1) AS final_acc,
         (SELECT e.test_loss FROM evals e WHERE e.run_id = r.id ORDER BY e.iter DESC LIMIT 1) AS final_loss,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id AND ${FINITE} ORDER BY e.test_acc DESC, e.iter ASC LIMIT 1) AS best_acc,
         (SELECT e.iter FROM evals e WHERE e.run_id = r.id AND ${FINITE} ORDER BY e.test_acc DESC, e.iter ASC LIMIT 1) AS best_iter,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id AND ${VAL_FINITE} ORDER BY e.val_loss ASC, e.iter ASC LIMIT 1) AS val_best_acc,
         (SELECT e.iter FROM evals e WHERE e.run_id = r.id AND ${VAL_FINITE} ORDER BY e.val_loss ASC, e.iter ASC LIMIT 1) AS val_best_iter
  FROM runs r`;

const RunListRow = RunRowSchema.extend({
  eval_count: count,
  final_acc: EvalPointRowSchema.shape.test_acc.nullable(),
  final_loss: EvalPointRowSchema.shape.test_loss.nullable(),
  best_acc: sqlMetric('an accuracy in [0, 1]', (x) => x >= 0 && x <= 1).nullable(),
  best_iter: EvalPointRowSchema.shape.iter.nullable(),
  val_best_acc: EvalPointRowSchema.shape.test_acc.nullable(),
  val_best_iter: EvalPointRowSchema.shape.iter.nullable(),
});

export function toRun(row: unknown): RunSummary {
  const r = parseIdRow('runs', RunListRow, row, 'run');
  return {
    id: r.id,
    sessionId: r.session_id,
    name: r.name,
    notes: r.notes,
    status: r.status,
    message: r.message,
    config: r.config,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    appVersion: r.app_version,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    trainSize: r.train_size,
    testSize: r.test_size,
    itersPerEpoch: r.iters_per_epoch,
    totalIters: r.total_iters,
    itersDone: r.iters_done,
    elapsedMs: r.elapsed_ms ?? 0,
    evalCount: r.eval_count,
    finalTestAcc: r.final_acc,
    finalTestLoss: r.final_loss,
    // With a validation set the best point is chosen on it; runs without one (recorded before it existed, or
    // validation 0) keep the choice on the test set, and bestOn says which.
    bestTestAcc: r.val_best_iter !== null ? r.val_best_acc : r.best_acc,
    bestIter: r.val_best_iter !== null ? r.val_best_iter : r.best_iter,
    bestOn: r.val_best_iter !== null ? 'validation' : r.best_iter !== null ? 'test' : null,
    sweepId: r.sweep_id,
    study: r.study_id && r.study_name ? { id: r.study_id, kind: r.study_kind ?? null, name: r.study_name } : null,
    seedGroup: r.study_id ? (r.seed_group ?? null) : null,
  };
}

/** The evals columns toPoint reads, for a SELECT. */
export const EVAL_COLUMNS =
  'iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms, val_loss, val_acc, sharpness, sharpness_min, hvps, fc1_flip, fc1_velocity, fc2_flip, fc2_velocity';
/** The same columns as a list (the order of EVAL_COLUMNS). */
export const EVAL_COLUMN_LIST = EVAL_COLUMNS.split(', ');

type EvalPointRow = ReturnType<typeof EvalPointRowSchema.parse>;

/** What a row's sharpness columns say that cannot be (a λ_min estimate or a product count without a λ_max), or null. */
export function sharpnessColumnsProblem(
  r: Pick<EvalPointRow, 'sharpness' | 'sharpness_min' | 'hvps'>,
): { column: string; problem: string } | null {
  const has = r.sharpness !== null && r.sharpness !== undefined;
  if (!has && r.sharpness_min !== null && r.sharpness_min !== undefined)
    return { column: 'sharpness_min', problem: 'is set on a row without sharpness' };
  if (!has && r.hvps !== null && r.hvps !== undefined)
    return { column: 'hvps', problem: 'is set on a row without sharpness' };
  if (has && (r.hvps === null || r.hvps === undefined))
    return { column: 'hvps', problem: 'must be set where sharpness is' };
  return null;
}

/** The layers of a row: absent when none of the four columns holds a value (older runs, a restored early-stop point). */
function layersOf(r: EvalPointRow): LayerPoint[] | null {
  const cols = [r.fc1_flip, r.fc1_velocity, r.fc2_flip, r.fc2_velocity];
  if (cols.every((c) => c === null || c === undefined)) return null;
  return [
    { layer: 'fc1', flipFraction: r.fc1_flip ?? null, velocityRatio: r.fc1_velocity ?? null },
    { layer: 'fc2', flipFraction: r.fc2_flip ?? null, velocityRatio: r.fc2_velocity ?? null },
  ];
}

/** One evaluation point of a run (evals row) as the contract's EvalPoint; valLoss / valAcc only where the run had a validation set (non-NULL). */
export function toPoint(row: unknown, runId: string): EvalPoint {
  const what = `run ${runId} at iteration ${String((row as { iter?: unknown }).iter)}`;
  const r = parseRow('evals', EvalPointRowSchema, row, what);
  const problem = sharpnessColumnsProblem(r);
  if (problem) throw new BadRowError('evals', problem.column, what, problem.problem);
  const layers = layersOf(r);
  return {
    iter: r.iter,
    epoch: r.epoch,
    examples: r.examples,
    trainLoss: r.train_loss,
    trainAcc: r.train_acc,
    testLoss: r.test_loss,
    testAcc: r.test_acc,
    elapsedMs: r.elapsed_ms,
    ...(r.val_loss === null || r.val_loss === undefined ? {} : { valLoss: r.val_loss }),
    ...(r.val_acc === null || r.val_acc === undefined ? {} : { valAcc: r.val_acc }),
    ...(r.sharpness === null || r.sharpness === undefined
      ? {}
      : { sharpness: r.sharpness, sharpnessMin: r.sharpness_min ?? null, hvps: r.hvps! }),
    ...(layers ? { layers } : {}),
  };
}
