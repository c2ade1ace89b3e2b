import { fmtNum } from '../format';
import type { SimRun } from './types';

// How the Momentum view and the figure builder (src-main/figures) put a
// simulation's runs on a chart: one legend label per run, a y range that shows
// every run that did not diverge, and values outside it cut (NaN) so a
// diverged run leaves the plot instead of squashing the others. Pure.

/** Legend label of a run: "d = 0.9" (with the optimizer when it is not heavy-ball). */
export function runLabel(run: SimRun, primary = false): string {
  const o = run.optimizer;
  const name =
    o.kind === 'heavy-ball'
      ? `d = ${fmtNum(o.d)}`
      : o.kind === 'gd'
        ? 'gradient descent'
        : `${o.kind} d = ${fmtNum(o.d)}`;
  const tail = run.status === 'diverged' ? ' (diverged)' : '';
  return `${name}${primary ? ' ◆' : ''}${tail}`;
}

/** 0, 1, ..., n-1 as a Float64Array (the t axis). */
export function steps(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Values outside [lo, hi] (padded by 2 %) become NaN, so the line leaves the plot instead of squashing the others. */
export function clipTo(values: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const pad = (hi - lo) * 0.02;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v >= lo - pad && v <= hi + pad ? v : Number.NaN;
  }
  return out;
}

/** Symmetric range that shows every run that did not diverge, at least [-m, m] with m = |x0|. */
export function boundedRange(
  runs: readonly SimRun[],
  pick: (r: SimRun) => ArrayLike<number>,
  atLeast: number,
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of runs) {
    if (r.status === 'diverged') continue;
    const v = pick(r);
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
  }
  if (!Number.isFinite(lo)) {
    lo = -atLeast;
    hi = atLeast;
  }
  const m = Math.max(Math.abs(lo), Math.abs(hi), atLeast);
  return lo >= 0 ? [0, m * 1.05] : hi <= 0 ? [-m * 1.05, 0] : [-m * 1.05, m * 1.05];
}
