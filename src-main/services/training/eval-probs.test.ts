import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { EvalProbsKeeper } from './eval-probs';
import { trainerMessages } from './trainer-messages';

// The probabilities the display stream leaves out are kept in the main process: the last few evaluations of the
// latest runs started from the Training view, one image's ten values per call. Checked against the trainer's own
// messages of a real run on MNIST.

let raw: TrainerMessage[];
beforeAll(async () => {
  raw = await trainerMessages('r1', { ...DEFAULT_TRAIN_CONFIG, perClass: 10, batchSize: 10, epochs: 3, evalEvery: 5 });
});

const evals = () => raw.filter((m): m is Extract<TrainerMessage, { type: 'eval' }> => m.type === 'eval');
const as = (runId: string) => raw.map((m) => ({ ...m, runId }) as TrainerMessage);

describe('EvalProbsKeeper', () => {
  it("answers an image's ten probabilities at the last four evaluations, the trainer's numbers; older ones are gone", () => {
    const keeper = new EvalProbsKeeper();
    for (const m of raw) keeper.observe(m, { kind: 'single' });
    const all = evals();
    expect(all.length).toBeGreaterThan(5);
    for (const e of all.slice(-4)) {
      for (const index of [0, 17, e.detail.predicted.length - 1]) {
        const got = keeper.get({ runId: 'r1', iter: e.point.iter, index })!;
        expect(Array.from(got.probs)).toEqual(Array.from(e.detail.probs.subarray(index * 10, index * 10 + 10)));
        // The model's probabilities: they sum to 1 and the largest is the predicted class with its confidence.
        const p = Array.from(got.probs);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(p.indexOf(Math.max(...p))).toBe(e.detail.predicted[index]);
        expect(Math.max(...p)).toBe(e.detail.confidence[index]);
      }
    }
    expect(keeper.get({ runId: 'r1', iter: all.at(-5)!.point.iter, index: 0 })).toBeNull();
    expect(keeper.get({ runId: 'other', iter: all.at(-1)!.point.iter, index: 0 })).toBeNull();
  });

  it("keeps the two latest runs of the Training view, not a sweep's", () => {
    const keeper = new EvalProbsKeeper();
    for (const id of ['a', 'b', 'c']) for (const m of as(id)) keeper.observe(m, { kind: 'single' });
    for (const m of as('s')) keeper.observe(m, { kind: 'sweep' });
    const iter = evals().at(-1)!.point.iter;
    expect(keeper.get({ runId: 'a', iter, index: 0 })).toBeNull();
    expect(keeper.get({ runId: 'b', iter, index: 0 })).not.toBeNull();
    expect(keeper.get({ runId: 'c', iter, index: 0 })).not.toBeNull();
    expect(keeper.get({ runId: 's', iter, index: 0 })).toBeNull();
  });

  it('refuses bad requests with the reason', () => {
    const keeper = new EvalProbsKeeper();
    for (const m of raw) keeper.observe(m, { kind: 'single' });
    const iter = evals().at(-1)!.point.iter;
    const n = evals().at(-1)!.detail.predicted.length;
    expect(() => keeper.get({ runId: 'r1', iter, index: n })).toThrow(`index: ${n} is past the test set (${n} images)`);
    expect(() => keeper.get({ runId: 'r1', iter, index: -1 })).toThrow(/testProbs: index/);
    expect(() => keeper.get({ runId: 'r1', iter: 1.5, index: 0 })).toThrow(/testProbs: iter/);
    expect(() => keeper.get({ runId: 'r1', iter, index: 0, extra: 1 })).toThrow(/testProbs/);
    expect(() => keeper.get(null)).toThrow(/testProbs/);
  });
});
