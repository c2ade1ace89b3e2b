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
