import { describe, expect, it } from 'vitest';
import { fmtDuration, fmtInt, fmtNum, fmtPct, fmtPctShort } from './format';

// The one number convention of the renderer (see format.ts): "97.12 %", "2,000".

describe('number formats', () => {
  it('percentages are the number, a no-break space and "%", at the asked precision', () => {
    expect(fmtPct(0.9712)).toBe('97.12\u00a0%');
    expect(fmtPct(0.9712, 1)).toBe('97.1\u00a0%');
    expect(fmtPct(0, 1)).toBe('0.0\u00a0%');
    expect(fmtPct(NaN)).toBe('NaN');
  });

  it('short percentages drop a needless ".0" but keep a needed decimal', () => {
    expect(fmtPctShort(0)).toBe('0\u00a0%');
    expect(fmtPctShort(-0)).toBe('0\u00a0%');
    expect(fmtPctShort(0.9)).toBe('90\u00a0%');
    expect(fmtPctShort(1)).toBe('100\u00a0%');
    expect(fmtPctShort(0.925)).toBe('92.5\u00a0%');
    expect(fmtPctShort(0.6 + 1e-12)).toBe('60\u00a0%');
    expect(fmtPctShort(Infinity)).toBe('+∞');
  });

  it('integers and reals of 1,000 or more are comma-grouped; small and huge reals are not', () => {
    expect(fmtInt(2000)).toBe('2,000');
    expect(fmtInt(60000)).toBe('60,000');
    expect(fmtInt(999)).toBe('999');
    expect(fmtNum(2000)).toBe('2,000');
    expect(fmtNum(-12345.6, 6)).toBe('-12,345.6');
    expect(fmtNum(123456, 4)).toBe('123,500');
    expect(fmtNum(999.5, 4)).toBe('999.5');
    expect(fmtNum(0.0123, 3)).toBe('0.0123');
    expect(fmtNum(2.5e6, 3)).toBe('2.5e6');
    expect(fmtNum(1e-5)).toBe('1e-5');
    expect(fmtNum(-Infinity)).toBe('−∞');
  });

  it('every formatter agrees with an independent rendering on random values (grouping = en-US locale)', () => {
    for (let i = 0; i < 500; i++) {
      const v = Math.round((Math.random() - 0.5) * 1e6 * 100) / 100;
      const n = Number(v.toPrecision(6));
      if (Math.abs(n) < 1e-4 || Math.abs(n) >= 1e6 || n === 0) continue;
      expect(fmtNum(v, 6)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 20 }));
      expect(fmtInt(v)).toBe(Math.round(v).toLocaleString('en-US'));
    }
  });

  it('durations', () => {
    expect(fmtDuration(42_000)).toBe('42 s');
    expect(fmtDuration(187_000)).toBe('3:07');
    expect(fmtDuration(3_723_000)).toBe('1:02:03');
  });
});
