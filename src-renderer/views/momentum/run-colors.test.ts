import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignSlots, PALETTE_SIZE, RunColorBook } from './run-colors';

describe('stable run colours', () => {
  it("changing the main d keeps every other run's colour", () => {
    const book = new RunColorBook();
    const before = book.slots([0.9, 0, 0.5, 1, 1.1]);
    expect(before).toEqual([0, 1, 2, 3, 4]);
    // the slider moves 0.9 -> 0.75: the main run is first in the list, the others follow
    const after = book.slots([0.75, 0, 0.5, 1, 1.1]);
    expect(after.slice(1)).toEqual(before.slice(1));
    // the freed slot goes to the new main value
    expect(after[0]).toBe(0);
  });

  it('a removed d frees its slot; the next new d takes the lowest free slot; a value that comes back is not promised its old one', () => {
    const book = new RunColorBook();
    book.slots([0.9, 0, 0.5, 1]);
    expect(book.slots([0.9, 0, 1])).toEqual([0, 1, 3]);
    expect(book.slots([0.9, 0, 1, 2])).toEqual([0, 1, 3, 2]);
  });

  it('when the main d moves onto a value already listed, that run keeps its colour and the main slot is freed', () => {
    const book = new RunColorBook();
    book.slots([0.9, 0, 0.5]);
    expect(book.slots([0.5, 0])).toEqual([2, 1]);
    expect(book.slots([0.5, 0, 0.7])).toEqual([2, 1, 0]);
  });

  it('colours are theme tokens', () => {
    expect(new RunColorBook().colors([0.3, 0.4])).toEqual(['var(--series-0)', 'var(--series-1)']);
  });

  it('property: any sequence of lists keeps the slot of every value that stays, and distinct values get distinct slots while they fit', () => {
    const list = fc.uniqueArray(
      fc.integer({ min: 0, max: 20 }).map((k) => k / 10),
      { maxLength: PALETTE_SIZE },
    );
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 12 }), (lists) => {
        let prev = new Map<number, number>();
        for (const ds of lists) {
          const next = assignSlots(prev, ds);
          expect([...next.keys()].sort()).toEqual([...ds].sort());
          for (const d of ds) if (prev.has(d)) expect(next.get(d)).toBe(prev.get(d));
          expect(new Set(next.values()).size).toBe(ds.length);
          for (const k of next.values()) expect(k >= 0 && k < PALETTE_SIZE).toBe(true);
          prev = next;
        }
      }),
    );
  });

  it('more values than slots share slots rather than fail', () => {
    const ds = Array.from({ length: 11 }, (_, k) => k / 10);
    const slots = assignSlots(new Map(), ds);
    expect(slots.size).toBe(11);
    for (const k of slots.values()) expect(k).toBeLessThan(PALETTE_SIZE);
  });
});
