import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { DatasetFiles, TrainerMessage } from '../../../src-core/contracts/train-protocol';
import type { RunEndMessage } from '../../../src-core/contracts/train-stream';
import { builtinMnistFiles } from '../../../src-core/node/mnist';
import { nodeLauncher } from '../../workers/node-launcher';
import type { WorkerLauncher, WorkerName } from '../../workers/worker-handle';
import { createLab } from '../services';
import { RunManager } from './run-manager';
import type { TrainerPool } from './trainer-pool';

// Trainer processes reused across a study's runs (issue 18): a run given to a process that served other runs before
// (one that diverged, one cancelled mid-run, one of another hidden size, activation and optimizer) gives the same
// messages as the same run in a fresh process: every mini-batch loss and accuracy, every evaluation point and its
// per-image detail, the weights at every evaluation, bit for bit. Real MNIST, real trainer processes, and the pool
// is asked how many processes it forked and lent again, so a silent fall-back to fresh processes fails the test. A
// run that fails gets its process discarded.

const runs = new RunManager(nodeLauncher);
afterAll(() => runs.shutdown());
const mnist = builtinMnistFiles();

/** A small run on real MNIST: 500 training images, 200 validation images, evaluations every 4 steps. */
const base: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  perClass: 50,
  validation: 200,
  hidden: 32,
  batchSize: 32,
  epochs: 2,
  evalEvery: 4,
  lr: 0.05,
  momentum: 0.9,
  seed: 3,
};

interface Trace {
  end: RunEndMessage;
  messages: TrainerMessage[];
}

/** Runs config (on pool, or in a process of its own) and collects its messages; cancelAfterEvals: cancel then. */
function trace(config: TrainConfig, pool?: TrainerPool, cancelAfterEvals?: number, files: DatasetFiles = mnist) {
  return new Promise<Trace>((resolve) => {
    const messages: TrainerMessage[] = [];
    let runId = '';
    let evals = 0;
    const stop = runs.observe((m) => {
      if (m.runId !== runId) return;
      messages.push(m);
      if (m.type === 'eval' && ++evals === cancelAfterEvals) void runs.cancel(runId);
      if (m.type === 'end') {
        stop();
        resolve({ end: m, messages });
      }
    });
    runId = runs.start(config, files, 'sweep', pool).runId;
  });
}

/** What must not depend on the process: everything but wall times, run ids, and where batch messages split. */
function essence(t: Trace) {
  const batches = t.messages.filter((m) => m.type === 'batch');
  const strip = <T extends object>(m: T) => {
    const { runId: _r, elapsedMs: _e, ...rest } = m as T & { runId: string; elapsedMs?: number };
    return rest;
  };
  return {
    losses: Float32Array.from(batches.flatMap((b) => Array.from(b.loss))),
    accs: Float32Array.from(batches.flatMap((b) => Array.from(b.acc))),
    started: t.messages.filter((m) => m.type === 'started').map(strip),
    evals: t.messages.flatMap((m) => (m.type === 'eval' ? [{ point: strip(m.point), detail: m.detail }] : [])),
    weights: t.messages.filter((m) => m.type === 'weights').map(strip),
    end: strip(t.end),
  };
}

describe('a study run in a reused trainer process', () => {
  it('equals the same run in a fresh process after diverged, cancelled and differently shaped runs', async () => {
    const fresh = essence(await trace(base));
    expect(fresh.end.status).toBe('finished');
    expect(fresh.evals.length).toBeGreaterThan(5);
    expect(fresh.weights.length).toBe(fresh.evals.length);

    const pool = runs.pool();
    try {
      const diverged = await trace({ ...base, lr: 1e4 }, pool);
      expect(diverged.end.status).toBe('diverged');
      const afterDiverged = essence(await trace(base, pool));
      // Cancelled mid-run by the process itself (not killed): it may be lent again.
      const cancelled = await trace({ ...base, epochs: 400, activation: 'tanh' }, pool, 2);
      expect(cancelled.end).toMatchObject({ status: 'cancelled', message: expect.stringMatching(/^cancelled at/) });
      const afterStopped = essence(await trace(base, pool));
      const other = await trace({ ...base, hidden: 48, activation: 'tanh', optimizer: 'adam', seed: 4 }, pool);
      expect(other.end.status).toBe('finished');
      const afterOther = essence(await trace(base, pool));

      // One process served all six runs; three reused the packed images of the run before (the two runs after the
      // diverged and the cancelled one, and the cancelled one), three packed their own (the first, the one of
      // another hidden size, and the one after it).
      expect(pool.counts).toEqual({ forked: 1, reused: 5, netsReused: 3 });
      for (const reused of [afterDiverged, afterStopped, afterOther]) {
        expect(reused.losses).toEqual(fresh.losses);
        expect(reused.accs).toEqual(fresh.accs);
        expect(reused).toEqual(fresh);
      }
    } finally {
      pool.close();
    }
  }, 180_000);

  it('a failed run gets its process discarded, and the next run a fresh one', async () => {
    const pool = runs.pool();
    try {
      const missing = { ...mnist, trainImages: '/nonexistent/train-images-idx3-ubyte' };
      const failed = await trace(base, pool, undefined, missing);
      expect(failed.end.status).toBe('failed');
      const next = await trace({ ...base, epochs: 1 }, pool);
      expect(next.end.status).toBe('finished');
      expect(pool.counts).toMatchObject({ forked: 2, reused: 0 });
    } finally {
      pool.close();
    }
  }, 120_000);
});

describe('a study', () => {
  it('runs its runs on as many trainer processes as it has workers, and ends them when it is done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-reuse-study-'));
    const exited: (number | null)[] = [];
    let forked = 0;
    const counting = (<In, Out>(name: WorkerName) => {
      const h = nodeLauncher<In, Out>(name);
      if (name === 'trainer') {
        forked++;
        h.onExit((code) => exited.push(code));
      }
      return h;
    }) as WorkerLauncher;
    const lab = createLab(
      { launcher: counting, emit: () => {}, pickDatasetFiles: async () => null },
      {
        dbPath: join(dir, 'lab.db'),
      },
    );
    try {
      const ends: TrainerMessage[] = [];
      lab.runs.observe((m) => m.type === 'end' && ends.push(m));
      await lab.services.startStudy({
        kind: 'lr',
        values: [0.1],
        seeds: 5,
        small: false,
        base: { ...base, epochs: 1 },
        workers: 2,
      });
      await expect.poll(() => ends.length, { timeout: 120_000 }).toBe(5);
      expect(ends.map((m) => m.type === 'end' && m.status)).toEqual(Array(5).fill('finished'));
      expect(forked).toBe(2);
      // Done: the pool ends its processes (nothing idle keeps the CLI or the app waiting).
      await expect.poll(() => exited.length, { timeout: 10_000 }).toBe(2);
    } finally {
      lab.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
