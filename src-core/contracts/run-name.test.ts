import { describe, expect, it } from 'vitest';
import { describeRun, uniqueName } from './run-name';
import { DEFAULT_TRAIN_CONFIG } from './train-config';
import { nameSchema } from './text-rules';

describe('describeRun: a run is named by its settings', () => {
  it('names the defaults and the assignment runs', () => {
    expect(describeRun(DEFAULT_TRAIN_CONFIG)).toBe('LR 0.1 · BS 32 · HL 64 · all images · 4 epochs · seed 1');
    expect(describeRun({ ...DEFAULT_TRAIN_CONFIG, perClass: 100 })).toBe(
      'LR 0.1 · BS 32 · HL 64 · 100/class · 4 epochs · seed 1',
    );
    expect(describeRun({ ...DEFAULT_TRAIN_CONFIG, lr: 1, batchSize: 64, hidden: 32, epochs: 1, seed: 7 })).toBe(
      'LR 1 · BS 64 · HL 32 · all images · 1 epoch · seed 7',
    );
    expect(
      describeRun({
        ...DEFAULT_TRAIN_CONFIG,
        momentum: 0.9,
        optimizer: 'nesterov',
        activation: 'tanh',
        loss: 'mse',
        perClass: 1000,
      }),
    ).toBe('LR 0.1 · BS 32 · HL 64 · d 0.9 · Nesterov · tanh · MSE · 1,000/class · 4 epochs · seed 1');
    expect(describeRun({ ...DEFAULT_TRAIN_CONFIG, momentum: 0.9, optimizer: 'adam', lr: 0.001 })).toBe(
      'LR 0.001 · BS 32 · HL 64 · β1 0.9 · Adam · all images · 4 epochs · seed 1',
    );
  });
  it('a longest config still follows the name rules', () => {
    const long = describeRun({
      ...DEFAULT_TRAIN_CONFIG,
      lr: 1.2345678901234566e-7,
      momentum: 0.123456789012345,
      optimizer: 'nesterov',
      activation: 'sigmoid',
      loss: 'mse',
      perClass: 99_999,
      batchSize: 123_456,
      hidden: 4096,
      epochs: 1000,
      seed: 4_294_967_295,
    });
    expect(nameSchema.safeParse(long).success).toBe(true);
  });
  it('a repeated name gets the first free " (n)"', () => {
    expect(uniqueName('a', new Set())).toBe('a');
    expect(uniqueName('a', new Set(['a']))).toBe('a (2)');
    expect(uniqueName('a', new Set(['a', 'a (2)', 'a (4)']))).toBe('a (3)');
  });
});
