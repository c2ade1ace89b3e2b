// Axes of the lab's charts, computed once for every chart: tick marks with
// their labels (in the format convention of lib/format.ts, passed in), the
// y scale with the log toggle and the automatic range, and the room the y
// tick labels and the axis title need on the left. Pure: d3-scale only.

import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import { fmtNum } from '../lib/format';
import { widestLabel, type Measure, measureText, TICK_FONT } from './text-layout';

export interface Tick {
  value: number;
  pos: number;
  /** Empty for a minor tick that gets no label. */
  label: string;
}

export type AxisScale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

const isLog = (scale: AxisScale): scale is ScaleLogarithmic<number, number> => 'base' in scale;

/** Is `v` a 1, 2 or 5 times a power of ten (to 1e-6)? Returns the leading digit, or 0. */
function leadingDigit(v: number): number {
  if (!(v > 0)) return 0;
  const mant = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const r = Math.round(mant);
  return Math.abs(mant - r) < 1e-6 * r ? r : 0;
}

/**
 * Tick marks of a linear or log scale with labels (by default in the lab's number format, lib/format.ts). A linear
 * axis labels every tick. A log axis labels as many ticks as fit `minGap` px apart: the decades first, then 2 and 5
 * times a decade, then (on an axis spanning less than a decade) the others; the rest are unlabelled minor grid
 * lines. So a wide log axis reads in decades and a narrow one still has labels. `integer` keeps whole numbers only
 * (iterations, images).
 */
export function ticksOf(
  scale: AxisScale,
  count: number,
  format: (v: number) => string = (v) => fmtNum(v, 4),
  opts: { integer?: boolean; minGap?: number } = {},
): Tick[] {
  let values = scale.ticks(count);
  if (opts.integer) values = values.filter(Number.isInteger);
  const pos = values.map((v) => scale(v));
  let keep = values.map(() => true);
  if (isLog(scale)) {
    const minGap = opts.minGap ?? 16;
    const rank = (v: number) => {
      const k = leadingDigit(v);
      return k === 1 ? 0 : k === 2 || k === 5 ? 1 : 2;
    };
    // Ticks other than 1, 2 and 5 are labelled only on an axis that spans less than a decade.
    const [d0, d1] = scale.domain();
    const most = Math.abs(Math.log10(d1 / d0)) < 1 ? 2 : 1;
    const order = values
      .map((_, i) => i)
      .filter((i) => rank(values[i]) <= most)
      .sort((a, b) => rank(values[a]) - rank(values[b]) || a - b);
    keep = values.map(() => false);
    const taken: number[] = [];
    for (const i of order) {
      if (taken.every((p) => Math.abs(p - pos[i]) >= minGap)) {
        keep[i] = true;
        taken.push(pos[i]);
      }
    }
  }
  return values.map((v, i) => ({ value: v, pos: pos[i], label: keep[i] ? format(v) : '' }));
}

export interface YScaleOptions {
  /** Logarithmic axis; values <= 0 are left out. */
  log?: boolean;
  /** A fixed range; without it the range follows the data. */
  domain?: [number, number];
  /** Bounds an automatic range never passes (accuracy: [0, 1]). */
  clamp?: [number, number];
  /** Fraction of the data's span added above and below (linear). */
  pad?: number;
}

/** The finite values (positive on a log axis), lowest and highest; null when there are none. */
export function valueExtent(values: Iterable<ArrayLike<number>>, log = false): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of values) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo === Infinity ? null : [lo, hi];
}

/**
 * The y scale of a chart of `values` (several arrays) drawn `plotH` px tall: the log toggle, a fixed domain, or an
 * automatic range padded by `pad` of the span and kept inside `clamp`. A log axis is rounded out to whole decades
 * only when it spans several; a narrow one keeps its data filling the plot.
 */
export function yScaleOf(values: Iterable<ArrayLike<number>>, plotH: number, opts: YScaleOptions = {}): AxisScale {
  const { log = false, domain, clamp, pad = 0.05 } = opts;
  const ext = valueExtent(values, log);
  if (log && domain) return scaleLog().domain(domain).range([plotH, 0]);
  if (log) {
    const [lo, hi] = ext ? (ext[0] === ext[1] ? [ext[0] / 2, ext[1] * 2] : ext) : [0.1, 1];
    const d: [number, number] = [lo / 1.1, hi * 1.1];
    const s = scaleLog().domain(d).range([plotH, 0]);
    return d[1] / d[0] > 50 ? s.nice() : s;
  }
  if (domain) return scaleLinear().domain(domain).range([plotH, 0]).nice();
  const [lo, hi] = ext ?? [0, 1];
  const p = (hi - lo) * pad || Math.abs(hi) * 0.1 || 0.5;
  let d: [number, number] = [lo - p, hi + p];
  if (ext === null) d = [0, 1];
  if (clamp) d = [Math.max(clamp[0], d[0]), Math.min(clamp[1], d[1])];
  const s = scaleLinear().domain(d).range([plotH, 0]).nice();
  if (clamp) s.domain([Math.max(clamp[0], s.domain()[0]), Math.min(clamp[1], s.domain()[1])]);
  return s;
}

/** Room on the left for the y tick labels, a gap, the rotated axis title and a margin; where the title goes. */
export function yAxisRoom(
  ticks: readonly Tick[],
  minLeft = 62,
  measure: Measure = measureText,
): { left: number; titleX: number } {
  const w = Math.ceil(
    widestLabel(
      ticks.filter((t) => t.label).map((t) => t.label),
      TICK_FONT,
      measure,
    ),
  );
  return { left: Math.max(minLeft, w + 6 + 8 + 14 + 4), titleX: -(w + 6 + 8 + 3) };
}

/** Clamp `v` into the scale's domain (for lines that would run past the plot's edge). */
export function clampTo(scale: AxisScale, v: number): number {
  const [a, b] = scale.domain() as [number, number];
  return Math.min(Math.max(v, Math.min(a, b)), Math.max(a, b));
}
