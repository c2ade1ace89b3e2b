// The data behind a chart as table rows: one row per distinct x (ascending),
// one column per series, an empty cell where a series has no point at that x.

export interface TableSeries {
  /** Column heading; LineSeries' label works too. */
  name?: string;
  label?: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Use only the first n points (as LineSeries.n). */
  n?: number;
}

export interface SeriesRows {
  columns: string[];
  xs: number[];
  /** rows[r][c]: the value of series c at xs[r], or null. */
  rows: (number | null)[][];
}

export function seriesName(s: TableSeries, i: number): string {
  return s.name ?? s.label ?? `series ${i + 1}`;
}

/** Merge series on x. A series with two points at one x keeps the last. */
export function seriesRows(series: readonly TableSeries[]): SeriesRows {
  const byX = new Map<number, (number | null)[]>();
  series.forEach((s, c) => {
    const n = Math.min(s.n ?? s.x.length, s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i];
      let row = byX.get(x);
      if (!row) {
        row = new Array<number | null>(series.length).fill(null);
        byX.set(x, row);
      }
      row[c] = s.y[i];
    }
  });
  const xs = [...byX.keys()].sort((a, b) => a - b);
  return { columns: series.map(seriesName), xs, rows: xs.map((x) => byX.get(x) as (number | null)[]) };
}
