import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../contracts/train-config';
import { STUDIES } from './definitions';
import { itersPerEpoch, planStudy, SMALL_ITERS } from './plan';

const req = (kind: (typeof STUDIES)[number]['kind'], values: (number | null)[], extra = {}) => ({
  kind,
  values,
  seeds: 1,
  small: false,
  ...extra,
});

describe('study plans', () => {
  it('a learning-rate study changes only the learning rate and keeps one seed', () => {
    const { configs, name } = planStudy(req('lr', [0.01, 0.1, 1]), 60000);
    expect(configs.map((c) => c.lr)).toEqual([0.01, 0.1, 1]);
    for (const c of configs) expect({ ...c, lr: 0 }).toEqual({ ...configs[0], lr: 0 });
    expect(new Set(configs.map((c) => c.seed))).toEqual(new Set([DEFAULT_TRAIN_CONFIG.seed]));
    expect(name).toBe('Learning rate study');
  });

  it('repeats every value over k seeds, seeds innermost', () => {
    const { configs } = planStudy(req('batchSize', [8, 32], { seeds: 3 }), 60000);
    const { labels } = planStudy(req('batchSize', [8, 32], { seeds: 3 }), 60000);
    expect(configs.map((c) => [c.batchSize, c.seed])).toEqual([
      [8, 1],
      [8, 2],
      [8, 3],
      [32, 1],
      [32, 2],
      [32, 3],
    ]);
    expect(labels.slice(0, 2)).toEqual(['BS 8, seed 1', 'BS 8, seed 2']);
  });

  it('training-set size: every run gets about the same number of iterations, at least one epoch', () => {
    const { configs } = planStudy(req('trainSize', [1, 100, null], { small: true }), 60000);
    const iters = configs.map(
      (c) => c.epochs * itersPerEpoch(c.perClass === null ? 60000 : c.perClass * 10, c.batchSize),
    );
    expect(configs.map((c) => c.perClass)).toEqual([1, 100, null]);
    expect(iters[0]).toBe(SMALL_ITERS);
    expect(Math.abs(iters[1] - SMALL_ITERS)).toBeLessThanOrEqual(32);
    expect(iters[2]).toBe(1875);
    for (const c of configs) expect(c.evalEvery).toBeGreaterThanOrEqual(1);
  });

  it('momentum: the learning rate fixed, or scaled by |1 - d|', () => {
    const fixed = planStudy(req('momentum', [0, 0.5, 0.9, 0.99, 1.05]), 60000).configs;
    expect(fixed.map((c) => c.lr)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    const scaled = planStudy(req('momentum', [0, 0.5, 0.9, 0.99, 1.05], { momentumLr: 'scaled' }), 60000).configs;
    expect(scaled.map((c) => c.lr)).toEqual([0.1, 0.05, 0.01, 0.001, 0.005]);
    expect(scaled.map((c) => c.momentum)).toEqual([0, 0.5, 0.9, 0.99, 1.05]);
    expect(() => planStudy(req('momentum', [1], { momentumLr: 'scaled' }), 60000)).toThrow(/d = 1/);
  });

  it('small settings shrink what is not varied', () => {
    const { configs } = planStudy(req('hidden', [16, 128], { small: true }), 60000);
    expect(configs.map((c) => [c.hidden, c.perClass, c.epochs])).toEqual([
      [16, 100, 10],
      [128, 100, 10],
    ]);
    expect(planStudy(req('batchSize', [8], { small: true }), 60000).configs[0].epochs).toBe(3);
  });

  it('refuses values the setting cannot take', () => {
    expect(() => planStudy(req('batchSize', [0.5]), 60000)).toThrow(/whole number/);
    expect(() => planStudy(req('lr', [null]), 60000)).toThrow(/"all"/);
    expect(() => planStudy(req('trainSize', [7000]), 60000, 5421)).toThrow(/only 5421/);
  });
});
