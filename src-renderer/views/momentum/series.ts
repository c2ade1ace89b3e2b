// Colours of the Momentum view's runs; the rest of how runs go on a chart (labels, ranges, clipping) is shared with
// the figure builder: src-core/momentum/plot-series.ts.

/** Colour of run i (theme tokens, Okabe–Ito). */
export const runColor = (i: number) => `var(--series-${i % 8})`;
