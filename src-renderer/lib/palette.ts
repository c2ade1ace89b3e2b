// Multi-run charts: colour AND line style, so runs stay apart for people with
// a colour-vision deficiency and on a grey-scale print. Colours are the
// Okabe–Ito tokens of app.css (--series-0..7); dashes cycle with them.

export const SERIES_COUNT = 8;

/** stroke-dasharray per series index: solid, dashed, dotted, dash-dot, … */
export const SERIES_DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 2', '12 4', '2 2 6 2', '1 4'] as const;

/** Marker shapes (d3.symbol names) per series index, for sparse points. */
export const SERIES_MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'wye', 'circle'] as const;

export interface SeriesStyle {
  color: string;
  dash: string | undefined;
  marker: (typeof SERIES_MARKERS)[number];
}

/** The style of the i-th run of a chart; wraps after eight. */
export function seriesStyle(i: number): SeriesStyle {
  const k = ((i % SERIES_COUNT) + SERIES_COUNT) % SERIES_COUNT;
  return { color: `var(--series-${k})`, dash: SERIES_DASHES[k] || undefined, marker: SERIES_MARKERS[k] };
}
