import type { RunSummary, SessionSummary } from '../../contracts/session-types';
import type { TrainConfig } from '../../contracts/train-config';
import type { EvalPoint, RunStatus } from '../../contracts/train-protocol';
import { decodeNullableNumber, decodeNumber } from './codec';

// Row shapes as SQLite returns them, and their mapping to the contract types.

export interface SessionRow {
  id: number;
  name: string;
  created_at: number;
  updated_at: number;
  run_count: number;
  sim_count: number;
}

export const SESSION_SELECT = `
  SELECT s.id, s.name, s.created_at, s.updated_at,
         (SELECT COUNT(*) FROM runs r WHERE r.session_id = s.id) AS run_count,
         (SELECT COUNT(*) FROM sims m WHERE m.session_id = s.id) AS sim_count
  FROM sessions s`;

export function toSession(row: SessionRow, currentId: number | null): SessionSummary {
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at, runCount: row.run_count, simCount: row.sim_count, current: row.id === currentId };
}

export interface RunRow {
  id: string;
  session_id: number;
  name: string;
  notes: string;
  config: string;
  dataset_id: string;
  dataset_name: string;
  app_version: string;
  status: string;
  message: string;
  started_at: number;
  ended_at: number | null;
  train_size: number;
  test_size: number;
  iters_per_epoch: number;
  total_iters: number;
  iters_done: number;
  elapsed_ms: unknown;
  sweep_id: string | null;
  eval_count: number;
  final_acc: unknown;
  final_loss: unknown;
  best_acc: unknown;
  best_iter: number | null;
  val_best_acc: unknown;
  val_best_iter: number | null;
}

const FINITE = `typeof(e.test_acc) IN ('real', 'integer')`;
/** The best point of a run with a validation set: the lowest finite validation loss, first on ties (stopRule's best point without early stopping; with it, the restored point at the stop ties with the kept one and the earlier wins). */
const VAL_FINITE = `typeof(e.val_loss) IN ('real', 'integer')`;

/** Runs with their key numbers; append a WHERE clause. */
export const RUN_SELECT = `
  SELECT r.id, r.session_id, r.name, r.notes, r.config, r.dataset_id, r.dataset_name, r.app_version,
         r.status, r.message, r.started_at, r.ended_at, r.train_size, r.test_size, r.iters_per_epoch,
         r.total_iters, r.iters_done, r.elapsed_ms, r.sweep_id,
         (SELECT COUNT(*) FROM evals e WHERE e.run_id = r.id) AS eval_count,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id ORDER BY e.iter DESC LIMIT 1) AS final_acc,
         (SELECT e.test_loss FROM evals e WHERE e.run_id = r.id ORDER BY e.iter DESC LIMIT 1) AS final_loss,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id AND ${FINITE} ORDER BY e.test_acc DESC, e.iter ASC LIMIT 1) AS best_acc,
         (SELECT e.iter FROM evals e WHERE e.run_id = r.id AND ${FINITE} ORDER BY e.test_acc DESC, e.iter ASC LIMIT 1) AS best_iter,
         (SELECT e.test_acc FROM evals e WHERE e.run_id = r.id AND ${VAL_FINITE} ORDER BY e.val_loss ASC, e.iter ASC LIMIT 1) AS val_best_acc,
         (SELECT e.iter FROM evals e WHERE e.run_id = r.id AND ${VAL_FINITE} ORDER BY e.val_loss ASC, e.iter ASC LIMIT 1) AS val_best_iter
  FROM runs r`;

const STATUSES: readonly RunStatus[] = ['running', 'finished', 'collapsed', 'cancelled', 'diverged', 'failed', 'interrupted'];

export function toRun(row: RunRow): RunSummary {
  const status = (STATUSES as readonly string[]).includes(row.status) ? (row.status as RunStatus) : 'failed';
  return {
    id: row.id,
    sessionId: row.session_id,
    name: row.name,
    notes: row.notes,
    status,
    message: row.message,
    config: withValidationDefault(JSON.parse(row.config) as TrainConfig),
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    appVersion: row.app_version,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    trainSize: row.train_size,
    testSize: row.test_size,
    itersPerEpoch: row.iters_per_epoch,
    totalIters: row.total_iters,
    itersDone: row.iters_done,
    elapsedMs: decodeNullableNumber(row.elapsed_ms) ?? 0,
    evalCount: row.eval_count,
    finalTestAcc: decodeNullableNumber(row.final_acc),
    finalTestLoss: decodeNullableNumber(row.final_loss),
    // With a validation set the best point is chosen on it; runs without one (recorded before it existed, or
    // validation 0) keep the old choice on the test set, and bestOn says which.
    bestTestAcc: row.val_best_iter !== null ? decodeNullableNumber(row.val_best_acc) : decodeNullableNumber(row.best_acc),
    bestIter: row.val_best_iter !== null ? row.val_best_iter : row.best_iter,
    bestOn: row.val_best_iter !== null ? 'validation' : row.best_iter !== null ? 'test' : null,
    sweepId: row.sweep_id,
  };
}

/** A config recorded before validation sets existed had none: it reads as validation 0 (not today's default). */
function withValidationDefault(config: TrainConfig): TrainConfig {
  const v = (config as { validation?: unknown }).validation;
  return typeof v === 'number' ? config : { ...config, validation: 0 };
}

/** The evals columns toPoint reads, for a SELECT. */
export const EVAL_COLUMNS = 'iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms, val_loss, val_acc';

export interface EvalRow {
  iter: number;
  epoch: unknown;
  examples: unknown;
  train_loss: unknown;
  train_acc: unknown;
  test_loss: unknown;
  test_acc: unknown;
  elapsed_ms: unknown;
  val_loss?: unknown;
  val_acc?: unknown;
}

/** An evaluation row as an EvalPoint; valLoss / valAcc only where the run had a validation set (non-NULL). */
export const toPoint = (r: EvalRow): EvalPoint => ({
  iter: r.iter,
  epoch: decodeNumber(r.epoch),
  examples: decodeNumber(r.examples),
  trainLoss: decodeNumber(r.train_loss),
  trainAcc: decodeNumber(r.train_acc),
  testLoss: decodeNumber(r.test_loss),
  testAcc: decodeNumber(r.test_acc),
  elapsedMs: decodeNumber(r.elapsed_ms),
  ...(r.val_loss === null || r.val_loss === undefined ? {} : { valLoss: decodeNumber(r.val_loss) }),
  ...(r.val_acc === null || r.val_acc === undefined ? {} : { valAcc: decodeNumber(r.val_acc) }),
});
