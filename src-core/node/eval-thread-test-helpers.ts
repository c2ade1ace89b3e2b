import { fileURLToPath } from 'node:url';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { initPyTorch } from '../mlp/params';
import { FastNet } from '../mlp/wasm/fast-net';
import { rngFor } from '../rng';
import type { EvalRunner, SharpnessSetup } from '../train/eval-runner';
import { entryFile } from './entry-file';
import { startEvalThread } from './eval-thread';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

// For tests that run the trainer in their own process: the evaluation thread
// started from its source entry, as the trainer process started through tsx
// starts it (src-main/workers/trainer-entry.ts passes the entry beside itself);
// and a small network on real MNIST whose snapshot is evaluated on both threads.

const TRAINER_ENTRY = fileURLToPath(new URL('../../src-main/workers/trainer-entry.ts', import.meta.url));

/** The eval-thread entry from the sources. */
export const SOURCE_EVAL_ENTRY = entryFile('eval-thread', TRAINER_ENTRY);

/** A TrainHooks.evalThread that starts the real thread from the sources. */
export function sourceEvalThread(net: FastNet, sharpness: SharpnessSetup | null): EvalRunner {
  return startEvalThread(net, sharpness, SOURCE_EVAL_ENTRY);
}

/**
 * A FastNet of 16 hidden units on real MNIST (50 training images, the 10,000 test images), initialised from seed;
 * its snapshot 0 evaluated inline on this thread; evalJob1: the job that evaluates snapshot 1 (taken now, the same
 * weights) on another thread; results: both evaluations, [inline, other thread], to compare bit for bit.
 */
export function snapshotPair(seed: number, activation: 'relu' | 'tanh') {
  const { data } = loadDataset(builtinMnistFiles());
  const net = FastNet.create({
    inputs: 784,
    hidden: 16,
    maxBatch: 8,
    train: { images: data.trainImages, count: data.trainCount, only: Int32Array.from({ length: 50 }, (_, i) => i) },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 2,
    evalChunk: 256,
  });
  if (!net) throw new Error('this host has no WebAssembly kernels');
  initPyTorch(net.params, rngFor(seed, 'init'));
  const act = actCode(activation);
  const loss = lossCode('ce');
  net.snapshot(0);
  const job0 = net.evalJob(0, act, loss);
  for (let from = 0; from < job0.count; from += job0.chunk)
    net.evalRows(job0, from, Math.min(job0.chunk, job0.count - from));
  net.snapshot(1);
  return { net, evalJob1: () => net.evalJob(1, act, loss), results: () => [net.evalResult(0), net.evalResult(1)] };
}
