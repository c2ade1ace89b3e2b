import type { TrainerMessage, TrainerRequest } from '../../src-core/contracts/train-protocol';
import { toLabErrorData } from '../../src-core/contracts/lab-error';
import { loadDataset } from '../../src-core/node/load-dataset';
import { entryFile } from '../../src-core/node/entry-file';
import { openEvalThread } from '../../src-core/node/eval-thread';
import { canSplitSteps, openStepThread, type OpenStepThread } from '../../src-core/node/step-thread';
import { runTraining } from '../../src-core/train/trainer';
import { connectToParent, yieldToEventLoop } from './parent-port';

// Trainer worker: one process per run. It loads the dataset files itself (the
// main process sends paths, not 55 MB of pixels), trains, streams messages,
// and is ended by the main process once it has read the run's 'end'.

const port = connectToParent<TrainerRequest, TrainerMessage>();
// The evaluation thread starts now, while this process waits for its run and loads the dataset (its entry sits
// beside this one: src-core/node/entry-file.ts); the run is handed to it once the images are packed.
const evalThread = openEvalThread(entryFile('eval-thread', import.meta.filename));
let current: string | null = null;
let stopRequested = false;

port.onMessage((request) => {
  if (request.type === 'cancel') {
    if (request.runId === current) stopRequested = true;
    return;
  }
  if (request.type === 'start' && current === null) {
    current = request.runId;
    void start(request.runId, request);
  }
});

async function start(runId: string, request: Extract<TrainerRequest, { type: 'start' }>): Promise<void> {
  const t0 = performance.now();
  // A run asked to step on two threads opens its step thread now, so its start overlaps the dataset's load.
  const stepThread: OpenStepThread | null =
    request.stepThreads === 2 && canSplitSteps()
      ? openStepThread(entryFile('step-thread', import.meta.filename))
      : null;
  try {
    const { data, info } = loadDataset(request.dataset);
    const dataset = { id: info.id, name: info.name, trainCount: info.trainCount, testCount: info.testCount };
    await runTraining(runId, request.config, data, {
      // The 'started' message says which dataset this process read (the main process does not read it again).
      emit: (m) => port.post(m.type === 'started' ? { ...m, dataset } : m),
      shouldStop: () => stopRequested,
      yieldNow: yieldToEventLoop,
      now: () => performance.now(),
      // Evaluations (and their sharpness) run on the second thread, overlapping training (results still arrive in
      // order).
      evalThread: (net, sharpness) => evalThread.start(net, sharpness),
      ...(stepThread ? { stepThread: (net) => void stepThread.start(net) } : {}),
    });
  } catch (err) {
    port.post({
      type: 'end',
      runId,
      status: 'failed',
      iter: 0,
      elapsedMs: performance.now() - t0,
      message: toLabErrorData(err).message,
    });
  }
  stepThread?.close();
  evalThread.close(); // (a run that evaluates inline, e.g. with early stopping, never started it)
  // The main process ends this process once it has read the 'end' message;
  // exiting here could drop messages still queued on the channel.
}
