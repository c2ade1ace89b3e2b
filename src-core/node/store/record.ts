import type { RunStudyPlace } from '../../contracts/run-study';
import type { TrainConfig } from '../../contracts/train-config';
import type { EvalDetail, EvalPoint, EndStatus } from '../../contracts/train-protocol';
import { encodeNumber, toBlob } from './codec';
import { interruptDeadRuns } from './liveness';
import type { Db } from './open-db';

// Writes of a run as it happens. Each function is one transaction, so a run
// killed between two messages keeps every message committed before it.

export interface NewRun {
  id: string;
  sessionId: number;
  name: string;
  config: TrainConfig;
  datasetId: string;
  datasetName: string;
  appVersion: string;
  startedAt: number;
  trainSize: number;
  testSize: number;
  itersPerEpoch: number;
  totalIters: number;
  subset: Int32Array | null;
  sweepId: string | null;
  ownerPid: number;
  /** The run's study and seed group (schema v9), when a study started it. */
  study?: RunStudyPlace | null;
}

export function insertRun(db: Db, r: NewRun): void {
  // The study columns (v9) are named only for a run of a study, so a run of no study is one statement for any
  // schema from v5 on (the migration tests build older databases with it).
  const study = r.study
    ? {
        study_id: r.study.study.id,
        study_kind: r.study.study.kind,
        study_name: r.study.study.name,
        seed_group: r.study.seedGroup,
      }
    : {};
  const extra = Object.keys(study);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO runs (id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at,
         train_size, test_size, iters_per_epoch, total_iters, iters_done, elapsed_ms, subset, sweep_id, owner_pid, heartbeat_at${extra.map((c) => `, ${c}`).join('')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?${extra.map(() => ', ?').join('')})`,
    ).run(
      r.id,
      r.sessionId,
      r.name,
      JSON.stringify(r.config),
      r.config.seed,
      r.datasetId,
      r.datasetName,
      r.appVersion,
      r.startedAt,
      r.trainSize,
      r.testSize,
      r.itersPerEpoch,
      r.totalIters,
      r.subset ? toBlob(r.subset) : null,
      r.sweepId,
      r.ownerPid,
      Date.now(),
      ...Object.values(study),
    );
    db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(r.startedAt, r.sessionId);
  })();
}

export function appendBatch(
  db: Db,
  runId: string,
  fromIter: number,
  loss: Float32Array,
  acc: Float32Array,
  iter: number,
  elapsedMs: number,
): void {
  db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO batches (run_id, from_iter, loss, acc) VALUES (?, ?, ?, ?)').run(
      runId,
      fromIter,
      toBlob(loss),
      toBlob(acc),
    );
    db.prepare('UPDATE runs SET iters_done = MAX(iters_done, ?), elapsed_ms = ?, heartbeat_at = ? WHERE id = ?').run(
      iter,
      encodeNumber(elapsedMs),
      Date.now(),
      runId,
    );
  })();
}

/** Misclassified test images of one evaluation: indices, predictions, confidences. */
export function misclassifiedOf(detail: EvalDetail, testLabels: Uint8Array | null) {
  if (!testLabels || testLabels.length !== detail.predicted.length) return null;
  const idx: number[] = [];
  for (let i = 0; i < testLabels.length; i++) if (detail.predicted[i] !== testLabels[i]) idx.push(i);
  const indices = Int32Array.from(idx);
  const predicted = new Uint8Array(idx.length);
  const confidence = new Float32Array(idx.length);
  idx.forEach((i, k) => {
    predicted[k] = detail.predicted[i];
    confidence[k] = detail.confidence[i];
  });
  return { indices, predicted, confidence };
}

export function appendEval(
  db: Db,
  runId: string,
  p: EvalPoint,
  detail: EvalDetail | null,
  testLabels: Uint8Array | null,
): void {
  const mis = detail ? misclassifiedOf(detail, testLabels) : null;
  const n = encodeNumber;
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms,
         confusion, predicted, misclassified, mis_predicted, mis_confidence, val_loss, val_acc,
         sharpness, sharpness_min, hvps, fc1_flip, fc1_velocity, fc2_flip, fc2_velocity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      p.iter,
      n(p.epoch),
      n(p.examples),
      n(p.trainLoss),
      n(p.trainAcc),
      n(p.testLoss),
      n(p.testAcc),
      n(p.elapsedMs),
      detail ? toBlob(detail.confusion) : null,
      detail ? toBlob(detail.predicted) : null,
      mis ? toBlob(mis.indices) : null,
      mis ? toBlob(mis.predicted) : null,
      mis ? toBlob(mis.confidence) : null,
      p.valLoss === undefined ? null : n(p.valLoss),
      p.valAcc === undefined ? null : n(p.valAcc),
      p.sharpness === undefined ? null : n(p.sharpness),
      p.sharpness === undefined || p.sharpnessMin == null ? null : n(p.sharpnessMin),
      p.sharpness === undefined ? null : (p.hvps ?? 0),
      ...layerCells(p),
    );
    db.prepare('UPDATE runs SET iters_done = MAX(iters_done, ?), elapsed_ms = ?, heartbeat_at = ? WHERE id = ?').run(
      p.iter,
      n(p.elapsedMs),
      Date.now(),
      runId,
    );
  })();
}

/** fc1_flip, fc1_velocity, fc2_flip, fc2_velocity of a point (NULL where it has no such layer or value). */
function layerCells(p: EvalPoint): (number | string | null)[] {
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? null : encodeNumber(v));
  return (['fc1', 'fc2'] as const).flatMap((name) => {
    const l = p.layers?.find((x) => x.layer === name);
    return [cell(l?.flipFraction), cell(l?.velocityRatio)];
  });
}

/** End a run still marked running; elapsedMs null keeps the last recorded time. */
export function endRun(
  db: Db,
  runId: string,
  status: EndStatus,
  message: string,
  iter: number,
  elapsedMs: number | null,
  endedAt: number,
): void {
  db.prepare(
    `UPDATE runs SET status = ?, message = ?, iters_done = MAX(iters_done, ?), elapsed_ms = COALESCE(?, elapsed_ms), ended_at = ?, owner_pid = NULL
     WHERE id = ? AND status = 'running'`,
  ).run(status, message, iter, elapsedMs === null ? null : encodeNumber(elapsedMs), endedAt, runId);
}

/**
 * Runs left 'running' by a process that is gone (or by this very process, on
 * reopen) become 'interrupted', keeping everything they committed. Liveness is
 * the owner's heartbeat and PID together (liveness.ts): a reused PID does not keep a run alive.
 */
export function markInterrupted(db: Db, now: number): string[] {
  return interruptDeadRuns(db, now, true);
}
