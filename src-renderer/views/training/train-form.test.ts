import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src-core/contracts/dataset';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import { defaultFields, evalEveryNote, fieldsFrom, parseForm } from './train-form';

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
    for (const field of [
      'hidden',
      'batchSize',
      'lr',
      'epochs',
      'momentum',
      'seed',
      'evalEvery',
      'perClass',
      'earlyStop',
    ] as const) {
      for (const text of ['0x10', '0b101', '0o7', '1_0', 'Infinity', '1 0']) {
        const r = parseForm({ ...f, [field]: text }, mnist);
        expect(r.config, `${field} = ${text}`).toBeNull();
        expect(r.errors[field], `${field} = ${text}`).toBeTruthy();
      }
    }
    expect(parseForm({ ...f, hidden: ' 16 ', batchSize: '5', lr: '1e-2', earlyStop: '3' }, mnist).config).toMatchObject(
      { hidden: 16, batchSize: 5, lr: 0.01, earlyStop: 3 },
    );
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

describe('parseForm: the validation set', () => {
  const f = fieldsFrom(DEFAULT_TRAIN_CONFIG);
  it('defaults to 5,000 images and reads 0 as none', () => {
    expect(f.validation).toBe('5000');
    expect(parseForm({ ...f, validation: '0' }, mnist).config?.validation).toBe(0);
  });
  it('refuses a size that is not a multiple of 10, or more than the rarest class leaves', () => {
    expect(parseForm({ ...f, validation: '55' }, mnist).errors.validation).toMatch(/multiple of 10/);
    // Class 5 has 5,421 images: all-images runs keep one, so at most 5,420 per class = 54,200.
    expect(parseForm({ ...f, validation: '54210' }, mnist).errors.validation).toBeDefined();
    expect(parseForm({ ...f, validation: '50000' }, mnist).errors.validation).toBeUndefined();
    // 5,000 per class in the subset leave 421 of class 5: at most 4,210.
    expect(
      parseForm({ ...f, subset: 'per-class', perClass: '5000', validation: '4220' }, mnist).errors.validation,
    ).toBe('must be <= 4210 (the rarest class has 5421 images, 5000 of them in the training subset)');
    expect(
      parseForm({ ...f, subset: 'per-class', perClass: '5000', validation: '4210' }, mnist).errors.validation,
    ).toBeUndefined();
  });
  it('refuses early stopping without a validation set', () => {
    expect(parseForm({ ...f, earlyStop: '5', validation: '0' }, mnist).errors.earlyStop).toMatch(
      /needs a validation set/,
    );
    expect(parseForm({ ...f, earlyStop: '5' }, mnist).config?.earlyStop).toBe(5);
  });
});

describe('parseForm: "Evaluate every" auto', () => {
  const f = defaultFields(DEFAULT_TRAIN_CONFIG);
  it('starts at auto and resolves it to a number before the config is sent: 200 for the defaults', () => {
    expect(f.evalEvery).toBe('auto');
    expect(parseForm(f, mnist).config).toEqual(DEFAULT_TRAIN_CONFIG);
    expect(evalEveryNote(f, parseForm(f, mnist).config, mnist)).toMatch(
      /^auto: every 200 iterations \(35 evaluations over 6,876 iterations/,
    );
  });
  it('adapts to small training sets, treats an empty field as auto, and a typed value wins', () => {
    expect(parseForm({ ...f, subset: 'per-class', perClass: '1' }, mnist).config?.evalEvery).toBe(1);
    expect(parseForm({ ...f, subset: 'per-class', perClass: '100', evalEvery: ' ' }, mnist).config?.evalEvery).toBe(5);
    expect(parseForm({ ...f, subset: 'per-class', perClass: '100', evalEvery: '200' }, mnist).config?.evalEvery).toBe(
      200,
    );
    expect(parseForm({ ...f, evalEvery: 'autox' }, mnist).errors.evalEvery).toBe('not a number in decimal notation');
  });
  it('a refused batch size is reported on its own field, not on auto', () => {
    const r = parseForm({ ...f, batchSize: 'x' }, mnist);
    expect(r.errors.batchSize).toBeDefined();
    expect(r.errors.evalEvery).toBeUndefined();
  });
});
