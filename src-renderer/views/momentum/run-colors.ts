// Stable run colours: each d value keeps the palette slot it got when it
// first appeared, for as long as it stays in the list of runs shown; a slot
// is freed when its d is removed and the next new d takes the lowest free
// slot. Moving the main d therefore recolours only the main run (its old
// slot is freed and the new value takes it back), never the others.

/** Number of palette slots (--series-0 .. --series-7). */
export const PALETTE_SIZE = 8;

/**
 * The slots for `ds` given the previous assignment `prev` (d -> slot).
 * Values still listed keep their slot; new values take the lowest free slot
 * in list order; with more values than slots they share (slot = lowest used
 * least often). Returns a new map; `prev` is not changed.
 */
export function assignSlots(
  prev: ReadonlyMap<number, number>,
  ds: readonly number[],
  size = PALETTE_SIZE,
): Map<number, number> {
  const next = new Map<number, number>();
  const uses = new Array<number>(size).fill(0);
  for (const d of ds) {
    if (next.has(d)) continue;
    const slot = prev.get(d);
    if (slot !== undefined && slot < size) {
      next.set(d, slot);
      uses[slot]++;
    }
  }
  for (const d of ds) {
    if (next.has(d)) continue;
    let best = 0;
    for (let k = 1; k < size; k++) if (uses[k] < uses[best]) best = k;
    next.set(d, best);
    uses[best]++;
  }
  return next;
}

/** Keeps the assignment between calls: `colors(ds)` is the CSS colour of each listed d, in order. */
export class RunColorBook {
  #slots = new Map<number, number>();

  /** Slot of each d in `ds` (same order), updating the book. Calling it again with the same list changes nothing. */
  slots(ds: readonly number[]): number[] {
    this.#slots = assignSlots(this.#slots, ds);
    return ds.map((d) => this.#slots.get(d)!);
  }

  colors(ds: readonly number[]): string[] {
    return this.slots(ds).map((k) => `var(--series-${k})`);
  }
}
