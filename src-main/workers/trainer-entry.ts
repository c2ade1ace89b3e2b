import type { EndStatus } from '../../src-core/contracts/train-protocol';
import {
  TrainerRequestSchema,
  type TrainerProcessMessage,
  type TrainerReady,
} from '../../src-core/contracts/trainer-process';
import { toLabErrorData } from '../../src-core/contracts/lab-error';
import { DatasetKeeper } from '../../src-core/node/dataset-keeper';
import { entryFile } from '../../src-core/node/entry-file';
import { openEvalThread } from '../../src-core/node/eval-thread';
import { useNativeKernelsIfBuilt } from '../../src-core/node/native-kernels';
import { NetKeeper } from '../../src-core/mlp/wasm/net-keeper';
import { runTraining } from '../../src-core/train/trainer';
import { connectToParent, yieldToEventLoop } from './parent-port';

// Trainer worker: runs one run at a time. It loads the dataset files itself (the
// main process sends paths, not 55 MB of pixels), trains, streams messages.
// After a run's 'end', once everything the run started has settled and nothing
// failed, it says 'ready' and may be given the next run (a study's runs reuse
// their processes: src-main/services/training/trainer-pool.ts): it keeps what
// does not depend on the run (the loaded dataset, the net's packed images when
// the next run asks for the same net, the evaluation thread); everything the
// run owns starts afresh. Otherwise the main process ends it after the 'end'.

const port = connectToParent<unknown, TrainerProcessMessage>();
// The sparse first layer natively where the addon was built (native/kernels.c): the same numbers, faster.
useNativeKernelsIfBuilt();
// The evaluation thread starts now, while this process waits for its run and loads the dataset (its entry sits
// beside this one: src-core/node/entry-file.ts); each run is handed to it once its images are packed.
const evalThread = openEvalThread(entryFile('eval-thread', import.meta.filename));
const datasets = new DatasetKeeper();
const nets = new NetKeeper();
let current: string | null = null;
let stopRequested = false;
let served = 0;

port.onMessage((raw) => {
  const parsed = TrainerRequestSchema.safeParse(raw);
  if (!parsed.success) return; // not a request of this protocol: nothing to answer
  const request = parsed.data;
  if (request.type === 'cancel') {
    if (request.runId === current) stopRequested = true;
    return;
  }
  if (current !== null) {
    const busy = `this trainer process is still running ${current}`;
    port.post({ type: 'end', runId: request.runId, status: 'failed', iter: 0, elapsedMs: 0, message: busy });
    return;
  }
  current = request.runId;
  stopRequested = false;
  void start(request.runId, request.config, request.dataset);
});

async function start(runId: string, config: unknown, files: Parameters<DatasetKeeper['load']>[0]): Promise<void> {
  const t0 = performance.now();
  let status: EndStatus = 'failed';
  nets.last = null;
  try {
    const { data, info } = datasets.load(files);
    const dataset = { id: info.id, name: info.name, trainCount: info.trainCount, testCount: info.testCount };
    // runTraining checks the config (TrainConfigSchema) before anything else.
    status = await runTraining(runId, config as Parameters<typeof runTraining>[1], data, {
      // The 'started' message says which dataset this process read (the main process does not read it again).
      emit: (m) => port.post(m.type === 'started' ? { ...m, dataset } : m),
      shouldStop: () => stopRequested,
      yieldNow: yieldToEventLoop,
      now: () => performance.now(),
      // Evaluations (and their sharpness) run on the second thread, overlapping training (results still arrive in
      // order).
      evalThread: (net, sharpness) => evalThread.start(net, sharpness),
      nets: nets.source,
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
  // A run that stopped (cancelled, diverged) may leave an evaluation on the thread: it must be done with the
  // memory before the next run resets it.
  await evalThread.idle();
  served++;
  current = null;
  if (status === 'failed' || !evalThread.alive()) {
    nets.forget(); // nothing of a failed run is trusted; the main process ends this process
    return;
  }
  const ready: TrainerReady = { type: 'ready', runId, runs: served, net: nets.last ?? 'none' };
  port.post(ready);
  // The main process ends this process, or gives it the next run; exiting here could drop messages still queued
  // on the channel.
}
