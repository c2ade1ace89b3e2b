import { beforeAll, describe, expect, it } from 'vitest';
import { classCounts } from '../data/subset';
import { loadDataset } from '../node/load-dataset';
import { builtinMnistFiles } from '../node/mnist';
import type { TrainData } from '../train/trainer';
import { runTraining } from '../train/trainer';
import { DEFAULT_TRAIN_CONFIG } from '../contracts/train-config';
import type { EvalDetail, TrainerMessage } from '../contracts/train-protocol';
import { cellIndices, confusionOf, perClassAccuracy, rowSums } from './confusion';

let mnist: TrainData;
let detail: EvalDetail;
beforeAll(async () => {
  mnist = loadDataset(builtinMnistFiles()).data;
  const messages: TrainerMessage[] = [];
  await runTraining(
    'confusion',
    { ...DEFAULT_TRAIN_CONFIG, perClass: 20, epochs: 1, evalEvery: 1000, hidden: 16 },
    mnist,
    {
      emit: (m) => messages.push(m),
      shouldStop: () => false,
      yieldNow: () => Promise.resolve(),
    },
  );
  const evals = messages.filter((m): m is Extract<TrainerMessage, { type: 'eval' }> => m.type === 'eval');
  detail = evals[evals.length - 1].detail;
});

describe('confusion matrix of a real evaluation', () => {
  it("has rows that sum to the test set's class counts", () => {
    expect(rowSums(detail.confusion)).toEqual(classCounts(mnist.testLabels));
    expect(rowSums(detail.confusion).reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it("is the trainer's matrix when rebuilt from the per-image predictions and the test labels", () => {
    expect([...confusionOf(mnist.testLabels, detail.predicted)]).toEqual([...detail.confusion]);
  });

  it('links every cell to exactly the test images with that (true, predicted) pair', () => {
    let total = 0;
    for (let t = 0; t < 10; t++) {
      for (let p = 0; p < 10; p++) {
        const idx = cellIndices(mnist.testLabels, detail.predicted, t, p);
        expect(idx.length, `cell (${t}, ${p})`).toBe(detail.confusion[t * 10 + p]);
        for (const i of idx) {
          expect(mnist.testLabels[i]).toBe(t);
          expect(detail.predicted[i]).toBe(p);
        }
        total += idx.length;
      }
    }
    expect(total).toBe(10_000);
  });
});

describe('per-class accuracy and cells on a tiny example', () => {
  const labels = [4, 4, 4, 9, 9, 1];
  const predicted = [4, 9, 9, 9, 4, 1];
  it('counts each (true, predicted) pair', () => {
    const c = confusionOf(labels, predicted);
    expect(c[4 * 10 + 9]).toBe(2);
    expect(c[9 * 10 + 4]).toBe(1);
    expect(rowSums(c)[4]).toBe(3);
  });
  it('gives correct / total per class and NaN for a class without images', () => {
    const acc = perClassAccuracy(confusionOf(labels, predicted));
    expect(acc[4]).toEqual({ cls: 4, correct: 1, total: 3, acc: 1 / 3 });
    expect(acc[1].acc).toBe(1);
    expect(acc[0].acc).toBeNaN();
  });
  it('returns the indices of cell (true 4, predicted 9), ascending', () => {
    expect([...cellIndices(labels, predicted, 4, 9)]).toEqual([1, 2]);
    expect([...cellIndices(labels, predicted, 0, 0)]).toEqual([]);
  });
  it('rejects mismatched lengths and classes out of range', () => {
    expect(() => confusionOf([1, 2], [1])).toThrow(RangeError);
    expect(() => confusionOf([10], [1])).toThrow(RangeError);
    expect(() => cellIndices([1], [], 1, 1)).toThrow(RangeError);
  });
});
