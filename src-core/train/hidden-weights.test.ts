import { describe, expect, it } from 'vitest';
import { type TrainConfig } from '../contracts/train-config';
import { NUM_CLASSES, type TrainerMessage } from '../contracts/train-protocol';
import { createParams, initPyTorch } from '../mlp/params';
import { rngFor, STREAMS } from '../rng';
import { weightsMessage } from './evaluator';
import type { TrainOptions } from './trainer';
import { mnistData, trainMessages } from '../node/train-test-helpers';

// The optional 'weights' message: hidden x inputs, unit-major (PyTorch's fc1.weight layout), one after every 'eval'.

const train = (config: Partial<TrainConfig>, options: TrainOptions = {}) => trainMessages('run-w', config, options);
type Weights = Extract<TrainerMessage, { type: 'weights' }>;

/** fc1.weight as PyTorch draws it from the seed's init stream: hidden x inputs, unit-major (the first hidden*inputs draws). */
function initialUnitMajor(seed: number, inputs: number, hidden: number): Float32Array {
  const rng = rngFor(seed, STREAMS.init);
  const b = 1 / Math.sqrt(inputs);
  const w = new Float32Array(hidden * inputs);
  for (let k = 0; k < w.length; k++) w[k] = b * (2 * rng.nextFloat() - 1);
  return w;
}

describe('hidden-unit weights', () => {
  it('weightsMessage transposes the inputs x hidden parameters to unit-major fc1.weight order', () => {
    const p = createParams(784, 5, NUM_CLASSES);
    initPyTorch(p, rngFor(7, STREAMS.init));
    const m = weightsMessage('r', 3, p) as Weights;
    expect(m).toMatchObject({ type: 'weights', runId: 'r', iter: 3, hidden: 5, inputs: 784 });
    expect(Array.from(m.w1)).toEqual(Array.from(initialUnitMajor(7, 784, 5)));
    // A copy, not a view: later updates of the parameters do not change a sent message.
    p.w1.fill(0);
    expect(m.w1.some((v) => v !== 0)).toBe(true);
  });

  for (const kernels of ['fast', 'reference'] as const) {
    it(`follows every evaluation with the trained W1 (${kernels} kernels); pixels no training image uses keep their initial weights`, async () => {
      const hidden = 6;
      const config = { hidden, perClass: 5, batchSize: 10, epochs: 3, evalEvery: 4, seed: 11, momentum: 0.5 };
      const messages = await train(config, { kernels });
      const evals = messages.filter((m) => m.type === 'eval');
      const weights = messages.filter((m): m is Weights => m.type === 'weights');
      expect(evals.length).toBeGreaterThan(2);
      expect(weights.length).toBe(evals.length);
      messages.forEach((m, k) => {
        if (m.type === 'eval')
          expect(messages[k + 1]).toMatchObject({ type: 'weights', iter: m.point.iter, hidden, inputs: 784 });
      });
      const init = initialUnitMajor(config.seed, 784, hidden);
      // The subset's images: which pixels are ever nonzero.
      const started = messages.find((m) => m.type === 'started')!;
      const used = new Uint8Array(784);
      for (const idx of started.type === 'started' ? started.subsetIndices! : [])
        for (let i = 0; i < 784; i++) if (mnistData().trainImages[idx * 784 + i] !== 0) used[i] = 1;
      const last = weights[weights.length - 1];
      let changed = 0;
      let kept = 0;
      for (let j = 0; j < hidden; j++) {
        for (let i = 0; i < 784; i++) {
          const w = last.w1[j * 784 + i];
          if (!used[i]) {
            expect(w).toBe(init[j * 784 + i]);
            kept++;
          } else if (w !== init[j * 784 + i]) changed++;
        }
      }
      expect(kept).toBeGreaterThan(100 * hidden); // the border pixels
      expect(changed).toBeGreaterThan(100);
    });
  }

  it('the fast path sends the same weights as the reference path, within float32 tolerance', async () => {
    const config = { hidden: 8, perClass: 10, batchSize: 20, epochs: 2, evalEvery: 5, seed: 3 };
    const [fast, ref] = await Promise.all([
      train(config, { kernels: 'fast' }),
      train(config, { kernels: 'reference' }),
    ]);
    const wf = fast.filter((m): m is Weights => m.type === 'weights');
    const wr = ref.filter((m): m is Weights => m.type === 'weights');
    expect(wf.length).toBe(wr.length);
    for (let k = 0; k < wf.length; k++) {
      expect(wf[k].iter).toBe(wr[k].iter);
      let worst = 0;
      for (let i = 0; i < wf[k].w1.length; i++) worst = Math.max(worst, Math.abs(wf[k].w1[i] - wr[k].w1[i]));
      expect(worst).toBeLessThan(1e-4);
    }
  });
});
