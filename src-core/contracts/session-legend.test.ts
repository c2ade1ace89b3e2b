import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './train-config';
import { comparisonCaption, legendLabels, legendSummary } from './session-legend';

const cfg = (over: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...over });

describe('legends from what differs', () => {
  it('names runs by the one setting that differs, and summarises it as "LR 0.01 / 0.1 / 1"', () => {
    const runs = [0.01, 0.1, 1].map((lr, i) => ({ name: `Run ${i + 1}`, config: cfg({ lr }) }));
    expect(legendLabels(runs)).toEqual(['LR 0.01', 'LR 0.1', 'LR 1']);
    expect(legendSummary(runs)).toBe('LR 0.01 / 0.1 / 1');
  });

  it('joins several differing settings and falls back to run names when nothing differs', () => {
    expect(legendLabels([{ name: 'a', config: cfg({ lr: 0.1, batchSize: 32 }) }, { name: 'b', config: cfg({ lr: 1, batchSize: 64 }) }])).toEqual(['LR 0.1, BS 32', 'LR 1, BS 64']);
    expect(legendLabels([{ name: 'a', config: cfg({}) }, { name: 'b', config: cfg({}) }])).toEqual(['a', 'b']);
  });

  it('tells apart runs with equal settings inside a larger comparison by their names', () => {
    const runs = [{ name: 'a', config: cfg({ lr: 0.1 }) }, { name: 'b', config: cfg({ lr: 0.1 }) }, { name: 'c', config: cfg({ lr: 1 }) }];
    expect(legendLabels(runs)).toEqual(['LR 0.1 (a)', 'LR 0.1 (b)', 'LR 1']);
  });

  it('writes a comparison caption in the report style', () => {
    const configs = [cfg({ lr: 0.01, perClass: 10 }), cfg({ lr: 0.1, perClass: 10 })];
    expect(comparisonCaption('Test accuracy', configs)).toBe('Test accuracy; LR: 0.01 / 0.1; BS:32; EPOCHS: 4; HL: 64; N: 100 (10/class).');
  });
});
