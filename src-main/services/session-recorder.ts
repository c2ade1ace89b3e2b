import { basename } from 'node:path';
import type { LabEvent } from '../../src-core/contracts/lab-api';
import type { DatasetFiles, TrainerMessage } from '../../src-core/contracts/train-protocol';
import { readIdx } from '../../src-core/node/idx';
import { builtinMnistId, isBuiltinMnist } from '../../src-core/node/mnist';
import { appendBatch, appendEval, endRun, insertRun } from '../../src-core/node/store/record';
import { appendWeights } from '../../src-core/node/store/weights';
import type { SessionStore } from '../../src-core/node/store/session-store';
import type { ActiveRun } from './run-manager';

// Records every message of every run into the session store as it arrives:
// one transaction per message, so whatever was committed survives a worker
// or the app dying. A recording error is reported once per run and never
// stops the run itself.

export interface RecorderOptions {
  appVersion: string;
  /** Identity of the dataset a run trains on. */
  datasetOf(files: DatasetFiles): { id: string; name: string };
  /** Where a run goes: its sweep's session, or the current one. */
  placeOf(runId: string): { sessionId: number; sweepId: string | null; name?: string } | null;
  emit(event: LabEvent): void;
}

/** Test labels by file, read once (10 KB for MNIST), to list misclassified digits. */
function labelCache() {
  const cache = new Map<string, Uint8Array | null>();
  return (path: string): Uint8Array | null => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readIdx(path, 1).data);
      } catch {
        cache.set(path, null);
      }
    }
    return cache.get(path) ?? null;
  };
}

/** Fallback identity when the dataset is not the one the lab has loaded. */
export function datasetIdentity(files: DatasetFiles): { id: string; name: string } {
  if (isBuiltinMnist(files)) return { id: builtinMnistId(), name: 'MNIST' };
  return { id: `files:${files.trainImages}`, name: basename(files.trainImages) };
}

export function createRecorder(store: SessionStore, options: RecorderOptions) {
  const labels = labelCache();
  const recording = new Map<string, { sessionId: number; testLabels: string }>();
  const failed = new Set<string>();
  const weightsWarned = new Set<string>();

  const fail = (runId: string, err: unknown) => {
    if (!failed.has(runId)) console.error(`momentum-lab: could not record run ${runId}:`, err instanceof Error ? err.message : err);
    failed.add(runId);
  };

  return (message: TrainerMessage, run: ActiveRun): void => {
    const id = message.runId;
    if (failed.has(id)) return;
    try {
      if (message.type === 'started') {
        const place = options.placeOf(id) ?? { sessionId: store.currentSessionId(), sweepId: null };
        const dataset = options.datasetOf(run.dataset);
        insertRun(store.db, {
          id,
          sessionId: place.sessionId,
          name: 'name' in place && place.name ? place.name : store.nextRunName(place.sessionId),
          config: run.config,
          datasetId: dataset.id,
          datasetName: dataset.name,
          appVersion: options.appVersion,
          startedAt: run.startedAt,
          trainSize: message.trainSize,
          testSize: message.testSize,
          itersPerEpoch: message.itersPerEpoch,
          totalIters: message.totalIters,
          subset: message.subsetIndices,
          sweepId: place.sweepId,
          ownerPid: process.pid,
        });
        recording.set(id, { sessionId: place.sessionId, testLabels: run.dataset.testLabels });
        options.emit({ channel: 'sessions', change: { sessionId: place.sessionId, runId: id, reason: 'run-started' } });
        return;
      }
      const rec = recording.get(id);
      if (!rec) return; // a run that started before the store (or whose start failed to record)
      if (message.type === 'batch') appendBatch(store.db, id, message.fromIter, message.loss, message.acc, message.iter, message.elapsedMs);
      else if (message.type === 'eval') appendEval(store.db, id, message.point, message.detail, labels(rec.testLabels));
      else if (message.type === 'weights') {
        // Optional extra: a matrix that cannot be kept (wrong size) is skipped, the run goes on being recorded.
        try {
          appendWeights(store.db, id, message.iter, message.hidden, message.inputs, message.w1);
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          if (!weightsWarned.has(id)) console.error(`momentum-lab: run ${id}: hidden-unit weights not kept: ${err.message}`);
          weightsWarned.add(id);
        }
      }
      else if (message.type === 'end') {
        endRun(store.db, id, message.status, message.message, message.iter, message.elapsedMs, Date.now());
        recording.delete(id);
        options.emit({ channel: 'sessions', change: { sessionId: rec.sessionId, runId: id, reason: 'run-ended' } });
      }
    } catch (err) {
      fail(id, err);
    }
  };
}
