import { describe, expect, it } from 'vitest';
import { Growable } from './growable';

describe('Growable', () => {
  it('grows past its capacity and keeps what was written', () => {
    const g = new Growable();
    for (let i = 0; i < 1000; i++) g.set(i, i * 2);
    expect(g.n).toBe(1000);
    expect(g.data[999]).toBe(1998);
    expect(g.data.length).toBeGreaterThanOrEqual(1000);
  });

  it('leaves skipped slots as NaN gaps', () => {
    const g = new Growable();
    g.set(3, 1);
    expect(g.n).toBe(4);
    expect(Number.isNaN(g.data[1])).toBe(true);
  });

  it('refuses a negative or fractional index', () => {
    expect(() => new Growable().set(-1, 0)).toThrow(RangeError);
    expect(() => new Growable().set(1.5, 0)).toThrow(RangeError);
  });
});
