/** A Float64Array that doubles when full; the first n entries are the data, unwritten slots are NaN. */
export class Growable {
  data = new Float64Array(256).fill(NaN);
  n = 0;

  /** Write v at index i (growing as needed); n becomes at least i + 1. */
  set(i: number, v: number): void {
    if (!(i >= 0) || !Number.isInteger(i))
      throw new RangeError(`Growable.set: index must be a whole number >= 0, got ${i}`);
    if (i >= this.data.length) {
      let cap = this.data.length;
      while (cap <= i) cap *= 2;
      const next = new Float64Array(cap).fill(NaN);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
    if (i >= this.n) this.n = i + 1;
  }
}
