import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { RunWeightsKeeper } from './run-weights';
import { trainerMessages } from './trainer-messages';

// The weights the display stream leaves out (it only says which iteration the newest are from) are kept in the
// main process: the newest of each of the latest runs started from the Training view. Checked against the
// trainer's own messages of a real run on MNIST.

type Weights = Extract<TrainerMessage, { type: 'weights' }>;
let raw: TrainerMessage[];
beforeAll(async () => {
  raw = await trainerMessages('r1', { ...DEFAULT_TRAIN_CONFIG, perClass: 10, batchSize: 10, epochs: 2, evalEvery: 5 });
});

const as = (runId: string) => raw.map((m) => ({ ...m, runId }) as TrainerMessage);

describe('RunWeightsKeeper', () => {
  it('answers the newest weights seen so far, with the iteration they are from, at every point of the run', () => {
    const keeper = new RunWeightsKeeper();
    let newest: Weights | null = null;
    let checked = 0;
    for (const m of raw) {
      keeper.observe(m, { kind: 'single' });
      if (m.type === 'weights') newest = m;
      const got = keeper.get({ runId: 'r1' });
      if (newest === null) {
        expect(got).toBeNull();
        continue;
      }
      expect(got!.iter).toBe(newest.iter);
      expect([got!.hidden, got!.inputs]).toEqual([DEFAULT_TRAIN_CONFIG.hidden, 784]);
      expect(got!.w1).toBe(newest.w1);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    expect(keeper.get({ runId: 'other' })).toBeNull();
  });

  it("keeps the two latest runs of the Training view, not a sweep's", () => {
    const keeper = new RunWeightsKeeper();
    for (const id of ['a', 'b', 'c']) for (const m of as(id)) keeper.observe(m, { kind: 'single' });
    for (const m of as('s')) keeper.observe(m, { kind: 'sweep' });
    expect(keeper.get({ runId: 'a' })).toBeNull();
    expect(keeper.get({ runId: 'b' })?.runId).toBe('b');
    expect(keeper.get({ runId: 'c' })?.runId).toBe('c');
    expect(keeper.get({ runId: 's' })).toBeNull();
  });

  it('refuses a malformed request with a clear error', () => {
    const keeper = new RunWeightsKeeper();
    for (const bad of [null, {}, { runId: '' }, { runId: 'r1', extra: 1 }, { runId: 7 }])
      expect(() => keeper.get(bad)).toThrow(/hiddenWeights/);
  });
});
