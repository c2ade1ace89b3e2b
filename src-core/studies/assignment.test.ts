import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../contracts/train-config';
import { ASSIGNMENT_PRESETS, assignmentCaption, findPreset, planAssignment, presetConfig } from './assignment';
import { ASSIGNMENT_SIMULATIONS } from './test-helpers';

// The assignment's presets (issue 14, item 9). Oracle: the assignment's own list of settings, and iteration counts
// worked out by hand (55,000 training images once the 5,000 validation images are carved out; ceil(n / BS) a epoch).

describe('assignment presets', () => {
  const MNIST = 60_000;
  const plan = planAssignment(MNIST);
  const byName = new Map(plan.names.map((n, i) => [n, plan.configs[i]]));

  it('hold the simulations the assignment lists, named as it names them', () => {
    expect(plan.names).toEqual(ASSIGNMENT_SIMULATIONS);
    expect(byName.get('Simulation 1')).toMatchObject({ ...DEFAULT_TRAIN_CONFIG, evalEvery: expect.any(Number) });
    expect(byName.get('Simulation 2')).toMatchObject({ batchSize: 32, lr: 0.1, epochs: 4, hidden: 64, perClass: null });
    expect(byName.get('Simulation 3 (LR 0.01)')).toMatchObject({ lr: 0.01, batchSize: 32, hidden: 64, epochs: 4 });
    expect(byName.get('Simulation 3 (LR 1, BS 64)')).toMatchObject({ lr: 1, batchSize: 64, hidden: 64, epochs: 4 });
    expect(byName.get('Simulation 4')).toMatchObject({ perClass: 1, lr: 0.1, batchSize: 32, hidden: 64 });
    expect(byName.get('Simulation 5')).toMatchObject({ perClass: 100, lr: 0.1, batchSize: 32, hidden: 64 });
    expect(byName.get('Simulation 6')).toMatchObject({ hidden: 32, lr: 0.1, batchSize: 32, epochs: 4, perClass: null });
  });

  it('give the small training sets about as many iterations as Simulation 2, and every run about 40 evaluations', () => {
    // Simulation 2: ceil(55,000 / 32) = 1,719 iterations an epoch, 6,876 in 4 epochs.
    // 10 images: one batch an epoch, so 1,000 epochs (the schema's most); 1,000 images: 32 an epoch, 6,876 / 32 = 215.
    expect(byName.get('Simulation 4')!.epochs).toBe(1000);
    expect(byName.get('Simulation 5')!.epochs).toBe(215);
    expect(byName.get('Simulation 2')!.evalEvery).toBe(200);
    // More epochs than 40: about 40 evaluations, not one an epoch: 1,000 / 40 = 25 -> 20 (1-2-5), 6,880 / 40 = 172 -> 200.
    expect(byName.get('Simulation 4')!.evalEvery).toBe(20);
    expect(byName.get('Simulation 5')!.evalEvery).toBe(200);
  });

  it('captions in the report style', () => {
    expect(assignmentCaption('Simulation 2', byName.get('Simulation 2')!)).toBe(
      'Simulation 2; BS:32; LR:0.1; EPOCHS: 4; HL: 64.',
    );
    expect(assignmentCaption('Simulation 4', byName.get('Simulation 4')!)).toBe(
      'Simulation 4; BS:32; LR:0.1; EPOCHS: 1000; HL: 64; N: 10 (1/class).',
    );
    expect(assignmentCaption('X', { ...byName.get('Simulation 2')!, validation: 0 })).toBe(
      'X; BS:32; LR:0.1; EPOCHS: 4; HL: 64; VAL: none.',
    );
  });

  it('small settings shrink every run and keep what each simulation changes', () => {
    const small = planAssignment(MNIST, true);
    expect(small.name).toBe('Assignment (small settings)');
    for (const c of small.configs) expect(c.perClass).not.toBeNull();
    expect(small.configs.map((c) => c.perClass)).toEqual([200, 200, 200, 200, 1, 100, 200]);
    expect(small.configs[3]).toMatchObject({ lr: 1, batchSize: 64, epochs: 1 });
    // Simulation 2 small: 2,000 images at BS 32, ceil(2000 / 32) = 63 iterations; 10 images: 63 epochs of one
    // batch; 1,000 images: 32 an epoch, 63 / 32 rounds to 2 epochs.
    expect(small.configs[4].epochs).toBe(63);
    expect(small.configs[5].epochs).toBe(2);
  });

  it('finds a preset by id or name, and nothing else', () => {
    expect(findPreset('simulation 2')?.id).toBe('sim-2');
    expect(findPreset('sim-3-lr-1')?.name).toBe('Simulation 3 (LR 1, BS 64)');
    expect(findPreset('Simulation 9')).toBeNull();
    expect(ASSIGNMENT_PRESETS.map((p) => presetConfig(p, 100).seed)).toEqual(Array(7).fill(1));
  });
});
