import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../contracts/train-config';
import type { TrainerMessage } from '../contracts/train-protocol';
import type { FastNet } from '../mlp/wasm/fast-net';
import { sourceEvalThread } from '../node/eval-thread-test-helpers';
import { loadDataset } from '../node/load-dataset';
import { openStepThread } from '../node/step-thread';
import { SOURCE_STEP_ENTRY, waitUntil } from '../node/step-thread-test-helpers';
import { mnistData } from '../node/train-test-helpers';
import { runTraining, type TrainData } from './trainer';

// Whole runs with a step thread (a real worker thread taking half of every training step) against the same runs
// without one, beside the real evaluation thread: every message the trainer emits (mini-batch losses and
// accuracies, evaluation points with their per-image detail, 'end') must be the same, bit for bit. The step thread
// is started from the sources (through tsx, slower to boot than the bundle), so the run waits for it at its first
// yield and the steps after that are split.

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const fashionFiles = () => ({
  trainImages: join(FASHION_DIR, 'train-images-idx3-ubyte.gz'),
  trainLabels: join(FASHION_DIR, 'train-labels-idx1-ubyte.gz'),
  testImages: join(FASHION_DIR, 't10k-images-idx3-ubyte.gz'),
  testLabels: join(FASHION_DIR, 't10k-labels-idx1-ubyte.gz'),
});
const hasFashion = existsSync(fashionFiles().trainImages);

interface Run {
  messages: TrainerMessage[];
  split: { one: number; two: number } | null;
}

async function run(config: Partial<TrainConfig>, data: TrainData, threads: 1 | 2): Promise<Run> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  let net: FastNet | null = null;
  const thread = threads === 2 ? openStepThread(SOURCE_STEP_ENTRY, { adaptive: false }) : null;
  try {
    await runTraining('r', { ...DEFAULT_TRAIN_CONFIG, ...config }, data, {
      emit: (m) => messages.push(m),
      shouldStop: () => false,
      yieldNow: async () => {
        if (net && thread) await waitUntil(() => net!.splitLive, 60_000);
      },
      now: () => t++,
      evalThread: sourceEvalThread,
      ...(thread
        ? {
            stepThread: (n: FastNet) => {
              net = n;
              expect(thread.start(n)).toBe(true);
            },
          }
        : {}),
    });
  } finally {
    thread?.close();
  }
  return { messages: messages.map(strip), split: net ? (net as FastNet).splitCounts : null };
}

/** A message without its elapsedMs (from the counting clock, whose count the eval thread's timing may change). */
function strip(m: TrainerMessage): TrainerMessage {
  return 'elapsedMs' in m ? { ...m, elapsedMs: 0 } : m;
}

function expectSameRun(two: Run, one: Run, minSplit: number): void {
  expect(two.messages.length).toBe(one.messages.length);
  two.messages.forEach((m, i) => expect(m, `message ${i} (${m.type})`).toEqual(one.messages[i]));
  expect(two.split!.two, 'steps split over two threads').toBeGreaterThanOrEqual(minSplit);
}

describe('a run with a step thread gives the one-thread run bit for bit (real MNIST, real threads)', () => {
  it('SGD, ReLU/CE, hidden 64, batch 32', async () => {
    const config = { perClass: 300, epochs: 2, evalEvery: 25, seed: 1 };
    const one = await run(config, mnistData(), 1);
    const two = await run(config, mnistData(), 2);
    expect(one.messages.at(-1)).toMatchObject({ type: 'end', status: 'finished' });
    expectSameRun(two, one, 100);
  }, 120_000);

  it('heavy-ball 0.9, ReLU/CE, hidden 63, batch 7', async () => {
    const config = {
      perClass: 100,
      epochs: 1,
      evalEvery: 30,
      seed: 2,
      momentum: 0.9,
      lr: 0.01,
      hidden: 63,
      batchSize: 7,
    };
    const one = await run(config, mnistData(), 1);
    const two = await run(config, mnistData(), 2);
    expectSameRun(two, one, 100);
  }, 120_000);

  it('Adam (its step in TypeScript after a split forward and backward), ReLU/CE, hidden 64', async () => {
    const config = { perClass: 200, epochs: 1, evalEvery: 20, seed: 5, optimizer: 'adam' as const, lr: 0.001 };
    const one = await run(config, mnistData(), 1);
    const two = await run(config, mnistData(), 2);
    expectSameRun(two, one, 20);
  }, 120_000);

  it('a diverging run (LR 50) ends diverged at the same iteration', async () => {
    const config = { perClass: 300, epochs: 1, evalEvery: 10, seed: 3, lr: 50, momentum: 0.9 };
    const one = await run(config, mnistData(), 1);
    const two = await run(config, mnistData(), 2);
    expect(one.messages.at(-1)).toMatchObject({ type: 'end', status: 'diverged' });
    // (It may diverge before the thread is ready; step-split.test.ts splits every step of a diverging run.)
    expectSameRun(two, one, 0);
  }, 120_000);

  it.skipIf(!hasFashion)(
    'Fashion-MNIST (installed), SGD, hidden 64, batch 32',
    async () => {
      const data = loadDataset(fashionFiles()).data;
      const config = { perClass: 200, epochs: 2, evalEvery: 40, seed: 4 };
      const one = await run(config, data, 1);
      const two = await run(config, data, 2);
      expectSameRun(two, one, 60);
    },
    120_000,
  );
});
