import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../contracts/train-protocol';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import { runTraining } from './trainer';

// FUNCTIONAL TEST OF THE STANDARD WORKLOAD W (not a timing): MLP 784-64 (ReLU)-10,
// softmax cross-entropy, plain SGD, BS 32, LR 0.1, 4 epochs over all 60,000
// MNIST training images, full 10,000-image test eval every 200 iterations and
// after the last one (38 evaluations). The lab's defaults are W with a
// 5,000-image validation set carved out of the training images (validation 0
// is W exactly); NumPy and PyTorch reach 0.9685-0.9712 on W (../shared/bench/README.md).

describe('standard workload W (functional, not a timing)', () => {
  it('reaches at least 96.5 % final test accuracy with the default config', async () => {
    const { data } = loadDataset(builtinMnistFiles());
    const evals: EvalPoint[] = [];
    let end: Extract<TrainerMessage, { type: 'end' }> | undefined;
    const t0 = performance.now();
    const status = await runTraining('w', { ...DEFAULT_TRAIN_CONFIG, validation: 0 }, data, {
      emit: (m) => {
        if (m.type === 'eval') evals.push(m.point);
        if (m.type === 'end') end = m;
      },
      shouldStop: () => false,
      yieldNow: () => Promise.resolve(),
    });
    const wall = performance.now() - t0;
    const last = evals[evals.length - 1];
    console.log(
      `W: ${evals.length} evals, final test acc ${last.testAcc}, test loss ${last.testLoss.toFixed(4)}, wall ${(wall / 1000).toFixed(2)} s`,
    );
    expect(status).toBe('finished');
    expect(end?.iter).toBe(7500);
    expect(evals.length).toBe(38);
    expect(last.iter).toBe(7500);
    expect(last.testAcc).toBeGreaterThanOrEqual(0.965);
  }, 600_000);

  it('the defaults (W on 55,000 images, 5,000 for validation) still reach 96.5 % and report the validation curve', async () => {
    const { data } = loadDataset(builtinMnistFiles());
    const evals: EvalPoint[] = [];
    let end: Extract<TrainerMessage, { type: 'end' }> | undefined;
    const status = await runTraining('w-val', DEFAULT_TRAIN_CONFIG, data, {
      emit: (m) => {
        if (m.type === 'eval') evals.push(m.point);
        if (m.type === 'end') end = m;
      },
      shouldStop: () => false,
      yieldNow: () => Promise.resolve(),
    });
    const last = evals[evals.length - 1];
    console.log(
      `W with validation: ${evals.length} evals, final test acc ${last.testAcc}, val acc ${last.valAcc}, best iter ${end?.bestIter}`,
    );
    expect(status).toBe('finished');
    expect(end?.iter).toBe(Math.ceil(55_000 / 32) * 4);
    expect(evals.length).toBe(Math.ceil((Math.ceil(55_000 / 32) * 4) / 200));
    expect(evals.every((p) => Number.isFinite(p.valLoss) && p.valAcc! > 0 && p.valAcc! <= 1)).toBe(true);
    expect(last.testAcc).toBeGreaterThanOrEqual(0.965);
    expect(last.valAcc!).toBeGreaterThanOrEqual(0.95);
  }, 600_000);
});
