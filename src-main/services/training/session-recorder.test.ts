import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { detail, point, tempDirEachTest } from '../../../src-core/node/store/test-helpers';
import { createRecorder } from './session-recorder';

let dir: string;
tempDirEachTest('mlab-recorder-', (d) => (dir = d));

describe('the session recorder and hidden-unit weights', () => {
  it('keeps weights messages, and a matrix of the wrong size is skipped without losing the rest of the run', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const record = createRecorder(store, {
      appVersion: 'test',
      datasetOf: () => ({ id: 'd', name: 'MNIST' }),
      placeOf: () => null,
      emit: () => {},
    });
    const run = {
      runId: 'r',
      kind: 'single' as const,
      config: { ...DEFAULT_TRAIN_CONFIG, hidden: 2 },
      dataset: { trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: '/nonexistent' },
      startedAt: 1,
    };
    const msgs: TrainerMessage[] = [
      {
        type: 'started',
        runId: 'r',
        trainSize: 10,
        testSize: 12,
        itersPerEpoch: 2,
        totalIters: 4,
        subsetIndices: null,
      },
      { type: 'eval', runId: 'r', point: point(2), detail: detail() },
      { type: 'weights', runId: 'r', iter: 2, hidden: 2, inputs: 3, w1: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { type: 'eval', runId: 'r', point: point(4), detail: detail() },
      { type: 'weights', runId: 'r', iter: 4, hidden: 2, inputs: 3, w1: new Float32Array(5) }, // wrong size
      { type: 'end', runId: 'r', status: 'finished', iter: 4, elapsedMs: 40, message: 'finished' },
    ];
    for (const m of msgs) record(m, run);
    expect(store.run('r')).toMatchObject({ status: 'finished', evalCount: 2 });
    expect(store.weights('r')).toMatchObject({ iter: 2, hidden: 2, inputs: 3, iters: [2] });
    expect([...store.weights('r')!.w1]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0][0])).toMatch(
      /hidden-unit weights not kept: weights of run r: 5 values for 2 x 3/,
    );
    errors.mockRestore();
    store.close();
  });
});
