/** One line of a LineChart: y against x, x ascending; the first n points are used. */
export interface LineSeries {
  /** Unique within one chart. */
  id: string;
  label: string;
  /** A CSS colour, normally a theme token: 'var(--series-0)'. */
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** How many points of x and y to use (default: all). */
  n?: number;
  /** Stroke width in px (default 1.75). */
  width?: number;
  opacity?: number;
  /** SVG stroke-dasharray, e.g. '4 3'. */
  dash?: string;
  /** Draw a dot at each point (for sparse series such as evaluations; dropped when there are more than one per 4 px). */
  dots?: boolean;
  /** Leave this series out of the legend and the tooltip. */
  quiet?: boolean;
}

/** A vertical mark across the plot, e.g. where a run diverged. */
export interface XMarker {
  x: number;
  label: string;
  color?: string;
}

/** A dashed horizontal reference line at `y` across `x` (an edge of stability, a threshold, a limit of the theory). */
export function levelLine(
  id: string,
  label: string,
  y: number,
  x: readonly [number, number],
  look: Partial<Pick<LineSeries, 'color' | 'dash' | 'width'>> = {},
): LineSeries {
  return { id, label, color: 'var(--fg)', width: 1.5, dash: '6 4', ...look, x: [x[0], x[1]], y: [y, y] };
}

/** The evaluations of one run as a chart line: dots at each point, coloured by the run's position. */
export function runLine(id: string, label: string, index: number, x: ArrayLike<number>, y: ArrayLike<number>) {
  return { id, label, color: `var(--series-${index % 8})`, x, y, width: 2, dots: true } satisfies LineSeries;
}
