import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../contracts/train-protocol';
import { sourceEvalThread } from '../node/eval-thread-test-helpers';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { runTraining, type TrainData, type TrainHooks, type TrainOptions } from './trainer';

// The fast path (WebAssembly SIMD kernels, float32 lanes; evaluation optionally
// on a second thread) against the reference path (TypeScript kernels, float64
// intermediates) from the same seed.
//
// Stated tolerance: over these runs every test loss agrees within 0.01 + 1 %,
// every test accuracy within 0.5 percentage points, every mini-batch loss
// within 0.02 + 2 % (float32 rounding compounds slowly over hundreds of steps).

let mnist: TrainData;
beforeAll(() => {
  mnist = loadDataset(builtinMnistFiles()).data;
});

interface Curve {
  evals: EvalPoint[];
  details: Extract<TrainerMessage, { type: 'eval' }>['detail'][];
  losses: number[];
  order: string[];
  status: string;
}

async function run(
  config: Partial<TrainConfig>,
  options: TrainOptions,
  hooks: Partial<TrainHooks> = {},
): Promise<Curve> {
  const c: Curve = { evals: [], details: [], losses: [], order: [], status: '' };
  let t = 0;
  c.status = await runTraining(
    'r',
    { ...DEFAULT_TRAIN_CONFIG, ...config },
    mnist,
    {
      emit: (m) => {
        c.order.push(m.type === 'eval' ? `eval@${m.point.iter}` : m.type === 'batch' ? `batch@${m.iter}` : m.type);
        if (m.type === 'eval') {
          c.evals.push(m.point);
          c.details.push(m.detail);
        }
        if (m.type === 'batch') c.losses.push(...m.loss);
      },
      shouldStop: () => false,
      yieldNow: () => new Promise<void>((r) => setImmediate(r)),
      now: () => t++,
      ...hooks,
    },
    options,
  );
  return c;
}

const strip = (e: EvalPoint) => ({ ...e, elapsedMs: 0 });

describe('the fast training path', () => {
  it('gives the same curve with evaluation on a second thread as on the training thread, emitted in order', async () => {
    const config = { perClass: 200, epochs: 2, evalEvery: 7, seed: 3 };
    const inline = await run(config, {});
    const threaded = await run(config, {}, { evalThread: sourceEvalThread });
    expect(threaded.status).toBe('finished');
    expect(threaded.evals.map(strip)).toEqual(inline.evals.map(strip));
    expect(threaded.losses).toEqual(inline.losses);
    threaded.details.forEach((d, i) => {
      expect(d.predicted).toEqual(inline.details[i].predicted);
      expect(d.probs).toEqual(inline.details[i].probs);
    });
    // Order: every batch message before an eval covers iterations up to that eval, none after it.
    let lastEval = 0;
    for (const o of threaded.order) {
      const [kind, at] = o.split('@');
      if (kind === 'eval') lastEval = Number(at);
      if (kind === 'batch') expect(Number(at)).toBeGreaterThan(lastEval);
    }
    expect(threaded.order.at(-1)).toBe('end');
  });

  it('gives the same curve for the same seed, run after run', async () => {
    const config = { perClass: 50, epochs: 2, evalEvery: 5, seed: 11, momentum: 0.9, lr: 0.01 };
    const a = await run(config, {}, { evalThread: sourceEvalThread });
    const b = await run(config, {}, { evalThread: sourceEvalThread });
    expect(b.evals.map(strip)).toEqual(a.evals.map(strip));
    expect(b.losses).toEqual(a.losses);
  });

  for (const [name, config] of [
    ['SGD (W settings) on 5,000 images', { perClass: 500, epochs: 2, evalEvery: 40, seed: 1 }],
    [
      'heavy-ball 0.9 (W-mom settings) on 5,000 images',
      { perClass: 500, epochs: 2, evalEvery: 40, seed: 2, momentum: 0.9, lr: 0.01 },
    ],
    [
      'tanh, MSE, Adam on 1,000 images',
      {
        perClass: 100,
        epochs: 3,
        evalEvery: 20,
        seed: 4,
        activation: 'tanh',
        loss: 'mse',
        optimizer: 'adam',
        lr: 0.001,
        momentum: 0.9,
      },
    ],
  ] as const) {
    it(`agrees with the reference path within float32 tolerance: ${name}`, async () => {
      const fast = await run(config, { kernels: 'fast' }, { evalThread: sourceEvalThread });
      const ref = await run(config, { kernels: 'reference' });
      expect(fast.status).toBe('finished');
      expect(fast.evals.length).toBe(ref.evals.length);
      expect(fast.losses.length).toBe(ref.losses.length);
      let worstLoss = 0;
      let worstAcc = 0;
      fast.evals.forEach((e, i) => {
        const r = ref.evals[i];
        expect(e.iter).toBe(r.iter);
        worstLoss = Math.max(worstLoss, Math.abs(e.testLoss - r.testLoss) / (0.01 + 0.01 * r.testLoss));
        worstAcc = Math.max(worstAcc, Math.abs(e.testAcc - r.testAcc));
      });
      let worstBatch = 0;
      fast.losses.forEach(
        (l, i) => (worstBatch = Math.max(worstBatch, Math.abs(l - ref.losses[i]) / (0.02 + 0.02 * ref.losses[i]))),
      );
      console.log(
        `${name}: worst test-loss gap ${worstLoss.toFixed(3)} of tolerance, worst test-acc gap ${(worstAcc * 100).toFixed(2)} pp, worst batch-loss gap ${worstBatch.toFixed(3)} of tolerance`,
      );
      expect(worstLoss).toBeLessThanOrEqual(1);
      expect(worstAcc).toBeLessThanOrEqual(0.005);
      expect(worstBatch).toBeLessThanOrEqual(1);
    });
  }
});
