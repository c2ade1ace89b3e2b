import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './train-config';
import { comparisonCaption, legendLabels, legendSummary, namedLegendLabels, runSettings } from './session-legend';

const cfg = (over: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...over });

describe('legends from what differs', () => {
  it('names runs by the one setting that differs, and summarises it as "LR 0.01 / 0.1 / 1"', () => {
    const runs = [0.01, 0.1, 1].map((lr, i) => ({ name: `Run ${i + 1}`, config: cfg({ lr }) }));
    expect(legendLabels(runs)).toEqual(['LR 0.01', 'LR 0.1', 'LR 1']);
    expect(legendSummary(runs)).toBe('LR 0.01 / 0.1 / 1');
  });

  it('joins several differing settings and falls back to run names when nothing differs', () => {
    expect(
      legendLabels([
        { name: 'a', config: cfg({ lr: 0.1, batchSize: 32 }) },
        { name: 'b', config: cfg({ lr: 1, batchSize: 64 }) },
      ]),
    ).toEqual(['LR 0.1, BS 32', 'LR 1, BS 64']);
    expect(
      legendLabels([
        { name: 'a', config: cfg({}) },
        { name: 'b', config: cfg({}) },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('tells apart runs with equal settings inside a larger comparison by their names', () => {
    const runs = [
      { name: 'a', config: cfg({ lr: 0.1 }) },
      { name: 'b', config: cfg({ lr: 0.1 }) },
      { name: 'c', config: cfg({ lr: 1 }) },
    ];
    expect(legendLabels(runs)).toEqual(['LR 0.1 (a)', 'LR 0.1 (b)', 'LR 1']);
  });

  it('writes a comparison caption in the report style', () => {
    const configs = [cfg({ lr: 0.01, perClass: 10 }), cfg({ lr: 0.1, perClass: 10 })];
    expect(comparisonCaption('Test accuracy', configs)).toBe(
      'Test accuracy; LR: 0.01 / 0.1; BS:32; EPOCHS: 4; HL: 64; N: 100 (10/class).',
    );
  });

  it('runs on different training-set sizes never read the same: labels, summary and the one-line settings', () => {
    const runs = [null, 1, 100].map((perClass, i) => ({ name: `Run ${i + 1}`, config: cfg({ perClass }) }));
    expect(legendLabels(runs)).toEqual(['N all', 'N 10', 'N 1,000']);
    expect(legendSummary(runs)).toBe('N all / 10 / 1,000');
    const lines = runs.map((r) => runSettings(r.config));
    expect(new Set(lines).size).toBe(3);
    expect(lines[2]).toBe('LR 0.1 · BS 32 · HL 64 · N 1,000 · EPOCHS 4');
  });

  it('every setting that differs is in the label (a size study also changes epochs), but not the evaluation interval', () => {
    const runs = [
      { name: 'N 100', config: cfg({ perClass: 10, epochs: 40, evalEvery: 13 }) },
      { name: 'N 1,000', config: cfg({ perClass: 100, epochs: 4, evalEvery: 31 }) },
    ];
    expect(legendLabels(runs)).toEqual(['N 100, EPOCHS 40', 'N 1,000, EPOCHS 4']);
    expect(
      legendLabels([
        { name: 'a', config: cfg({ evalEvery: 5 }) },
        { name: 'b', config: cfg({ evalEvery: 50 }) },
      ]),
    ).toEqual(['a', 'b']);
    expect(
      legendLabels([
        { name: 'a', config: cfg({ validation: 0 }) },
        { name: 'b', config: cfg({}) },
      ]),
    ).toEqual(['VAL none', 'VAL 5,000']);
  });

  it('named runs keep their names and gain the differing settings the names leave out', () => {
    const runs = [
      { name: 'N 10 (1/class)', config: cfg({ perClass: 1, epochs: 400, evalEvery: 3 }) },
      { name: 'N 1000 (100/class)', config: cfg({ perClass: 100, epochs: 4, evalEvery: 30 }) },
    ];
    expect(namedLegendLabels(runs)).toEqual(['N 10 (1/class) · EPOCHS 400', 'N 1000 (100/class) · EPOCHS 4']);
    const d = [
      { name: 'd 0.5, LR 0.05', config: cfg({ momentum: 0.5, lr: 0.05 }) },
      { name: 'd 0.9, LR 0.01', config: cfg({ momentum: 0.9, lr: 0.01 }) },
    ];
    expect(namedLegendLabels(d)).toEqual(['d 0.5, LR 0.05', 'd 0.9, LR 0.01']);
  });
});
