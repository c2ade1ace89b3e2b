import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grouped } from './grouped';

describe('grouped', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 60000, 123456789, -1, -1000, -0, Number.MAX_SAFE_INTEGER])
      expect(grouped(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => grouped(n) === n.toLocaleString('en-US')));
  });
  it('falls back to toLocaleString for other numbers', () => {
    for (const n of [1234.5678, NaN, Infinity, 2 ** 60]) expect(grouped(n)).toBe(n.toLocaleString('en-US'));
  });
});
