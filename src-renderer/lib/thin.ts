// Thinning long series for drawing: keep about two points per pixel column so
// a 100,000-point curve costs what a 1,000-point one does, without hiding
// spikes (min-max decimation keeps each bucket's extremes, in x order).

export interface XY {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Min-max decimation of (x[i], y[i]) for i < n into at most `buckets` x-buckets
 * over [x0, x1]. Each bucket contributes its first-occurring min and max; a
 * bucket holding a non-finite y contributes a NaN, so a drawn line is cut
 * there instead of joining across garbage. Points outside [x0, x1] are dropped.
 */
export function thinMinMax(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  x0: number,
  x1: number,
  buckets: number,
): XY {
  if (!(buckets >= 1)) throw new RangeError(`thinMinMax: buckets must be >= 1, got ${buckets}`);
  if (n > x.length || n > y.length) throw new RangeError('thinMinMax: n exceeds the series length');
  if (n <= 2 * buckets || !(x1 > x0)) return copy(x, y, n, x0, x1);
  const ox: number[] = [];
  const oy: number[] = [];
  const width = (x1 - x0) / buckets;
  let i = 0;
  while (i < n && x[i] < x0) i++;
  // A point's bucket is computed one way only: comparing x with a bucket's end computed apart (x0 + (b + 1) * width)
  // can disagree with it in the last bit (x1 110, 800 buckets: x = 33 falls in bucket 239, whose end is 33), and a
  // bucket that takes none of its own points would never let the loop move on.
  const bucketOf = (v: number) => Math.min(buckets - 1, Math.floor((v - x0) / width));
  while (i < n && x[i] <= x1) {
    const b = bucketOf(x[i]);
    let iMin = -1;
    let iMax = -1;
    let bad = -1;
    for (; i < n && x[i] <= x1 && bucketOf(x[i]) === b; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) {
        if (bad < 0) bad = i;
        continue;
      }
      if (iMin < 0 || v < y[iMin]) iMin = i;
      if (iMax < 0 || v > y[iMax]) iMax = i;
    }
    const keep = [iMin, iMax].filter((k) => k >= 0).sort((a, c) => a - c);
    if (keep.length === 2 && keep[0] === keep[1]) keep.pop();
    for (const k of keep) {
      if (bad >= 0 && bad < k) {
        ox.push(x[bad]);
        oy.push(NaN);
        bad = -1;
      }
      ox.push(x[k]);
      oy.push(y[k]);
    }
    if (bad >= 0) {
      ox.push(x[bad]);
      oy.push(NaN);
    }
  }
  return { x: Float64Array.from(ox), y: Float64Array.from(oy) };
}

function copy(x: ArrayLike<number>, y: ArrayLike<number>, n: number, x0: number, x1: number): XY {
  const ox: number[] = [];
  const oy: number[] = [];
  for (let i = 0; i < n; i++) {
    if (x[i] < x0 || x[i] > x1) continue;
    ox.push(x[i]);
    oy.push(Number.isFinite(y[i]) ? y[i] : NaN);
  }
  return { x: Float64Array.from(ox), y: Float64Array.from(oy) };
}

/** Index of the point whose x is nearest to `at` in an x-sorted series of length n (-1 when empty). */
export function nearestIndex(x: ArrayLike<number>, n: number, at: number): number {
  if (n <= 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(x[lo - 1] - at) <= Math.abs(x[lo] - at)) return lo - 1;
  return lo;
}
