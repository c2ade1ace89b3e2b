import type { RunCurves } from '../../../src-core/contracts/session-types';
import type { XAxis } from '../../../src-core/train/compare-series';
import { metricSeries } from '../../../src-core/train/metric-series';
import { fmtInt, fmtNum } from '../../lib/format';
import type { CompareRun } from './CompareChart.svelte';

// What Compare and a study's comparison share around their charts: the runs as the chart draws them, the x axis'
// number format, and the sentences their exports answer with.

/** The runs of `curves` as CompareChart draws them, coloured by position, labelled by `labels`. */
export function compareRuns(
  curves: readonly RunCurves[],
  labels: readonly string[],
  o: Parameters<typeof metricSeries>[1],
): CompareRun[] {
  return curves.map((c, i) => ({
    id: c.run.id,
    label: labels[i],
    color: `var(--series-${i % 8})`,
    ...metricSeries(c.points, o),
  }));
}

/** Whole numbers on the iteration and examples axes; epochs and seconds with 3 significant digits. */
export function xFormatOf(axis: XAxis): { formatX: (v: number) => string; integerX: boolean } {
  const integerX = axis === 'iter' || axis === 'examples';
  return { formatX: integerX ? (v) => fmtInt(v) : (v) => fmtNum(v, 3), integerX };
}

/** The "Saved N rows …" sentence of a CSV export, null when cancelled. */
export const csvSaved = (res: { rows: number; path: string } | null | undefined) =>
  res ? `Saved ${res.rows} rows to ${res.path}` : null;
/** The "Saved the report …" sentence of a report export, null when cancelled. */
export const reportSaved = (res: { path: string } | null | undefined) =>
  res ? `Saved the report to ${res.path}` : null;
