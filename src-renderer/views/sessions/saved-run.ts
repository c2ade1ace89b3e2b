import type { RunDetail } from '../../../src-core/contracts/session-types';
import { TrainingRun } from '../training/training-run.svelte';

// A saved run as the Training view's charts and galleries read a live one: the recorded messages (started, the
// per-iteration mini-batch values, every evaluation, the end) folded into a TrainingRun. The last evaluation's
// snapshot gives the galleries their predictions; the session keeps the model's confidence only for the
// misclassified digits (the correct ones show none) and no per-class probabilities (the dialog asks lab.testProbs,
// which knows only the last evaluations of the runs this lab trained).

export function savedRun(d: RunDetail): TrainingRun {
  const r = d.run;
  const run = new TrainingRun(r.id, r.config, r.datasetId);
  run.handle({
    type: 'started',
    runId: r.id,
    trainSize: r.trainSize,
    testSize: r.testSize,
    itersPerEpoch: r.itersPerEpoch,
    totalIters: r.totalIters,
    subsetIndices: d.subsetIndices,
  });
  const last = d.points.at(-1);
  if (d.iterLoss.length > 0) {
    const n = d.iterLoss.length;
    run.handle({
      type: 'batch',
      runId: r.id,
      fromIter: 0,
      loss: d.iterLoss,
      acc: d.iterAcc,
      iter: n,
      epoch: r.itersPerEpoch > 0 ? n / r.itersPerEpoch : 0,
      elapsedMs: last?.elapsedMs ?? 0,
    });
  }
  const snap = d.last;
  for (const p of d.points) {
    const isSnap = snap !== null && p.iter === snap.iter && snap.predicted.length > 0;
    let detail = null;
    if (isSnap) {
      const confidence = new Float32Array(snap.predicted.length).fill(NaN);
      for (let k = 0; k < snap.misclassified.length; k++)
        confidence[snap.misclassified[k]] = snap.misConfidence[k] ?? NaN;
      detail = { predicted: snap.predicted, confidence, confusion: snap.confusion };
    }
    run.handle({ type: 'eval', runId: r.id, point: p, detail });
  }
  if (r.status !== 'running') {
    run.handle({
      type: 'end',
      runId: r.id,
      status: r.status,
      iter: r.itersDone,
      elapsedMs: last?.elapsedMs ?? 0,
      message: r.message,
    });
  }
  return run;
}
