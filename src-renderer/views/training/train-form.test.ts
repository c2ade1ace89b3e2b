import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src-core/contracts/dataset';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import { fieldsFrom, parseForm } from './train-form';

const mnist: DatasetInfo = {
  id: 'mnist',
  name: 'MNIST',
  source: 'builtin',
  trainCount: 60000,
  testCount: 10000,
  rows: 28,
  cols: 28,
  trainClassCounts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
};

describe('parseForm', () => {
  it('turns the default fields back into the default config', () => {
    expect(parseForm(fieldsFrom(DEFAULT_TRAIN_CONFIG), mnist)).toEqual({ config: DEFAULT_TRAIN_CONFIG, errors: {} });
  });

  it('refuses a learning rate that is not a positive finite number, with the reason', () => {
    const f = fieldsFrom(DEFAULT_TRAIN_CONFIG);
    const reason = (lr: string) => parseForm({ ...f, lr }, mnist);
    expect(reason('abc')).toEqual({ config: null, errors: { lr: 'not a number in decimal notation' } });
    expect(reason('NaN').errors.lr).toBe('not a number in decimal notation');
    expect(reason('-1').errors.lr).toBe('must be > 0');
    expect(reason('0').errors.lr).toBe('must be > 0');
    expect(reason('').errors.lr).toBe('required');
  });

  it('reads decimal notation only: hexadecimal, binary, octal, separators are refused in every numeric field', () => {
    const f = { ...fieldsFrom(DEFAULT_TRAIN_CONFIG), subset: 'per-class' as const, perClass: '10' };
    for (const field of ['hidden', 'batchSize', 'lr', 'epochs', 'momentum', 'seed', 'evalEvery', 'perClass', 'earlyStop'] as const) {
      for (const text of ['0x10', '0b101', '0o7', '1_0', 'Infinity', '1 0']) {
        const r = parseForm({ ...f, [field]: text }, mnist);
        expect(r.config, `${field} = ${text}`).toBeNull();
        expect(r.errors[field], `${field} = ${text}`).toBeTruthy();
      }
    }
    expect(parseForm({ ...f, hidden: ' 16 ', batchSize: '5', lr: '1e-2', earlyStop: '3' }, mnist).config).toMatchObject({ hidden: 16, batchSize: 5, lr: 0.01, earlyStop: 3 });
  });

  it('reads N per class only when the per-class training set is chosen', () => {
    const f = { ...fieldsFrom(DEFAULT_TRAIN_CONFIG), subset: 'per-class' as const, perClass: '10' };
    expect(parseForm(f, mnist).config?.perClass).toBe(10);
    expect(parseForm({ ...f, subset: 'all', perClass: 'junk' }, mnist).config?.perClass).toBeNull();
  });

  it('refuses more examples per class than the rarest class holds', () => {
    const f = { ...fieldsFrom(DEFAULT_TRAIN_CONFIG), subset: 'per-class' as const, perClass: '6000' };
    expect(parseForm(f, mnist).errors.perClass).toMatch(/must be <= 5421/);
  });

  it('refuses a fractional batch size and a zero hidden layer', () => {
    const f = { ...fieldsFrom(DEFAULT_TRAIN_CONFIG), batchSize: '2.5', hidden: '0' };
    const { config, errors } = parseForm(f, mnist);
    expect(config).toBeNull();
    expect(errors.batchSize).toBe('must be a whole number');
    expect(errors.hidden).toBe('must be >= 1');
  });
});
