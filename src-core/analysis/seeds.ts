// Aggregating repeated runs (the same settings, k seeds) on a common x grid:
// mean, min–max and ±1 standard deviation per x.

export interface Curve {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

export interface SeedBand {
  xs: number[];
  mean: number[];
  min: number[];
  max: number[];
  /** Sample standard deviation (n - 1); 0 when only one curve has a value there. */
  sd: number[];
  /** Curves with a finite value at this x. */
  n: number[];
}

/** y at x by linear interpolation between the neighbouring points of a curve sorted by x; NaN outside it. */
export function interpolate(curve: Curve, x: number): number {
  const { xs, ys } = curve;
  if (xs.length === 0 || x < xs[0] || x > xs[xs.length - 1]) return NaN;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (xs[lo] === x) return ys[lo];
  if (xs[hi] === x) return ys[hi];
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}

/**
 * The common grid: every x of any curve inside [max of first xs, min of last
 * xs] (the range all curves cover), sorted, without repeats.
 */
export function commonGrid(curves: readonly Curve[]): number[] {
  if (curves.length === 0) return [];
  const from = Math.max(...curves.map((c) => (c.xs.length ? c.xs[0] : Infinity)));
  const to = Math.min(...curves.map((c) => (c.xs.length ? c.xs[c.xs.length - 1] : -Infinity)));
  const set = new Set<number>();
  for (const c of curves) for (let i = 0; i < c.xs.length; i++) if (c.xs[i] >= from && c.xs[i] <= to) set.add(c.xs[i]);
  return [...set].sort((a, b) => a - b);
}

/** Per grid x: mean = sum y / n, sd = sqrt(sum (y - mean)^2 / (n - 1)), min, max over the curves' finite values. */
export function aggregateSeeds(curves: readonly Curve[], grid: readonly number[] = commonGrid(curves)): SeedBand {
  const band: SeedBand = { xs: [...grid], mean: [], min: [], max: [], sd: [], n: [] };
  for (const x of grid) {
    const ys = curves.map((c) => interpolate(c, x)).filter(Number.isFinite);
    const n = ys.length;
    const mean = n ? ys.reduce((a, b) => a + b, 0) / n : NaN;
    const sd = n > 1 ? Math.sqrt(ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (n - 1)) : n === 1 ? 0 : NaN;
    band.mean.push(mean);
    band.sd.push(sd);
    band.min.push(n ? Math.min(...ys) : NaN);
    band.max.push(n ? Math.max(...ys) : NaN);
    band.n.push(n);
  }
  return band;
}
