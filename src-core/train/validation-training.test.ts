import { describe, expect, it } from 'vitest';
import { stopRuleOf } from '../analysis/stopping-rule';
import { type TrainConfig } from '../contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../contracts/train-protocol';
import type { TrainOptions } from './trainer';
import { trainMessages } from '../node/train-test-helpers';

// The trainer with a validation set, on real MNIST: every evaluation carries validation numbers; early stopping
// stops where the analysis panel says it stops, for every patience; a run that learned nothing ends 'collapsed'.

type End = Extract<TrainerMessage, { type: 'end' }>;
async function train(
  config: Partial<TrainConfig>,
  options: TrainOptions = {},
): Promise<{ messages: TrainerMessage[]; points: EvalPoint[]; end: End }> {
  const messages = await trainMessages('run-val', config, options);
  const points = messages.flatMap((m) => (m.type === 'eval' ? [m.point] : []));
  return { messages, points, end: messages[messages.length - 1] as End };
}

const batchLosses = (messages: TrainerMessage[]) => messages.flatMap((m) => (m.type === 'batch' ? [...m.loss] : []));

describe('training with a validation set', () => {
  it('a subset run keeps its initial weights, subset and batch order: the mini-batch losses are bit-identical with and without a validation set', async () => {
    const base = { perClass: 20, epochs: 2, evalEvery: 20, hidden: 16, seed: 4 };
    const withVal = await train(base);
    const without = await train({ ...base, validation: 0 });
    expect(batchLosses(withVal.messages)).toEqual(batchLosses(without.messages));
    expect(withVal.points.map((p) => p.testLoss)).toEqual(without.points.map((p) => p.testLoss));
    expect(withVal.points.every((p) => p.valLoss! > 0 && p.valAcc! >= 0 && p.valAcc! <= 1)).toBe(true);
    expect(without.points.every((p) => p.valLoss === undefined && p.valAcc === undefined)).toBe(true);
    expect(withVal.messages[0]).toMatchObject({ type: 'started', trainSize: 200, validationSize: 5000 });
  });

  it('the validation numbers are a real pass over 5,000 images: accuracy a multiple of 1/5000, the fast (float32) and reference (float64) kernels agree', async () => {
    const config = { perClass: 10, epochs: 10, evalEvery: 5, hidden: 16, seed: 2 };
    const fast = (await train(config, { kernels: 'fast' })).points;
    const ref = (await train(config, { kernels: 'reference' })).points;
    expect(fast.length).toBe(ref.length);
    for (const p of [...fast, ...ref])
      expect(Math.abs(p.valAcc! * 5000 - Math.round(p.valAcc! * 5000))).toBeLessThan(1e-9);
    fast.forEach((p, i) => {
      expect(Math.abs(p.valLoss! - ref[i].valLoss!)).toBeLessThan(1e-4 * Math.max(1, ref[i].valLoss!));
      expect(Math.abs(p.valAcc! - ref[i].valAcc!)).toBeLessThanOrEqual(2 / 5000);
    });
    expect(fast.at(-1)!.valAcc!).toBeGreaterThan(0.5); // 100 images, 10 epochs: well above chance
  });

  it('early stopping in the trainer stops exactly where the analysis panel says, for every patience', async () => {
    const base = { perClass: 10, batchSize: 10, epochs: 25, evalEvery: 5, hidden: 32, lr: 0.3, seed: 1 };
    const full = await train(base);
    expect(full.end.status).toBe('finished');
    expect(full.points.length).toBe(50);
    let stops = 0;
    for (let P = 1; P <= 8; P++) {
      const panel = stopRuleOf(full.points, P)!;
      const run = await train({ ...base, earlyStop: P });
      const expected = panel.stopIndex === null ? null : full.points[panel.stopIndex].iter;
      expect(run.end.stoppedAt ?? null, `patience ${P}`).toBe(expected);
      if (expected !== null) {
        stops++;
        expect(run.end.iter).toBe(expected);
        expect(run.end.bestIter).toBe(full.points[panel.keptIndex].iter);
      } else {
        expect(run.end.iter).toBe(full.end.iter);
        expect(run.end.bestIter).toBe(full.points[panel.bestIndex].iter);
      }
    }
    expect(stops).toBeGreaterThan(0); // the curve does give the rule something to stop on
    // Without early stopping the run still names its best point: the lowest validation loss.
    const lowest = full.points.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(full.end.bestIter).toBe(lowest.iter);
    expect(full.end.stoppedAt).toBeNull();
  }, 300_000);

  it("a run that learned nothing ends 'collapsed: accuracy at chance' with the iteration it collapsed at", async () => {
    // 100 images per class, LR 2 with momentum 0.9: the ReLU layer dies within a few dozen iterations.
    const { points, end } = await train({ perClass: 100, epochs: 10, evalEvery: 20, lr: 2, momentum: 0.9, seed: 1 });
    expect(end.status).toBe('collapsed');
    // Independently: chance on the class-balanced validation set is 1/10; find the final stretch within 2 pp.
    let from = points.length;
    while (from > 0 && points[from - 1].valAcc! <= 0.1 + 0.02) from--;
    expect(points.length - from).toBeGreaterThanOrEqual(3);
    expect(end.collapsedAt).toBe(points[from].iter);
    expect(end.message).toMatch(
      new RegExp(`^collapsed: accuracy at chance since iteration ${points[from].iter} \\(validation accuracy`),
    );
    expect(end.iter).toBe(320);
    // The same settings at a sane learning rate learn, and end 'finished'.
    const sane = await train({ perClass: 100, epochs: 10, evalEvery: 20, lr: 0.1, momentum: 0.9, seed: 1 });
    expect(sane.end.status).toBe('finished');
    expect(sane.end.collapsedAt).toBeNull();
  });
});
