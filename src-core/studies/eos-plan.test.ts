import { describe, expect, it } from 'vitest';
import { STUDIES } from './definitions';
import { EOS_SHARPNESS_EVERY, planStudy } from './plan';

// The "Edge of stability" study (issue 15): LR 0.02, 0.05, 0.1, 0.2 at d = 0, and again at d = 0.9 with the LR
// scaled by (1 − d); sharpness on; small settings for class use.

const eos = (extra = {}) => ({
  kind: 'edgeOfStability' as const,
  values: [0.02, 0.05, 0.1, 0.2],
  seeds: 1,
  small: false,
  ...extra,
});

describe('the edge-of-stability study', () => {
  it("is a built-in study with the issue's learning rates", () => {
    expect(STUDIES.find((s) => s.kind === 'edgeOfStability')).toMatchObject({
      title: 'Edge of stability',
      defaults: [0.02, 0.05, 0.1, 0.2],
    });
  });

  it('runs every LR at d = 0 and at d = 0.9 with LR·(1 − d), heavy-ball, sharpness at every evaluation', () => {
    const { configs, labels, name } = planStudy(eos(), 60000);
    expect(configs.map((c) => [c.momentum, c.lr])).toEqual([
      [0, 0.02],
      [0, 0.05],
      [0, 0.1],
      [0, 0.2],
      [0.9, 0.002],
      [0.9, 0.005],
      [0.9, 0.01],
      [0.9, 0.02],
    ]);
    expect(labels).toEqual([
      'd 0, LR 0.02',
      'd 0, LR 0.05',
      'd 0, LR 0.1',
      'd 0, LR 0.2',
      'd 0.9, LR 0.002',
      'd 0.9, LR 0.005',
      'd 0.9, LR 0.01',
      'd 0.9, LR 0.02',
    ]);
    for (const c of configs) {
      expect(c.optimizer).toBe('heavy-ball');
      expect(c.sharpnessEvery).toBe(EOS_SHARPNESS_EVERY);
      // The effective step under a constant gradient lr/(1 − d) is the d = 0 run's LR.
      expect([0.02, 0.05, 0.1, 0.2]).toContainEqual(Number((c.lr / (1 - c.momentum)).toPrecision(10)));
      // Everything else is the same: common random numbers.
      expect({ ...c, lr: 0, momentum: 0 }).toEqual({ ...configs[0], lr: 0, momentum: 0 });
    }
    expect(name).toBe('Edge of stability study, d 0 and 0.9');
  });

  it('small settings: 100 images per class, 32 hidden units, 10 epochs, about 20 evaluations', () => {
    const { configs, name } = planStudy(eos({ small: true }), 60000);
    expect(configs).toHaveLength(8);
    for (const c of configs)
      expect(c).toMatchObject({ perClass: 100, hidden: 32, epochs: 10, evalEvery: 16, sharpnessEvery: 1 });
    expect(name).toBe('Edge of stability study, small settings, d 0 and 0.9');
  });

  it('refuses a learning rate that is not > 0', () => {
    expect(() => planStudy(eos({ values: [0.1, 0] }), 60000)).toThrow(/LR 0: the learning rate must be > 0/);
  });
});
