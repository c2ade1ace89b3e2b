import { extent } from 'd3-array';
import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { fmtPctShort } from '../../../src-core/format';
import { estimateTextWidth, wrapText } from '../../../src-core/text-wrap';
import { FIGURE_FONT, SERIES_COLORS } from '../../figures/figure-style';
import { escapeHtml } from './html';

// An SVG line chart for files the main process writes (the HTML report):
// plain attributes, no CSS classes, no scripts, a font stack every viewer
// has, the legend and caption inside the figure. d3 computes the scales,
// ticks and paths (d3-scale, d3-array, d3-shape run in Node).

export { FIGURE_FONT, SERIES_COLORS };

export interface ChartSeries {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  dashed?: boolean;
}

export interface ChartSpec {
  id: string;
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  caption: string;
  /** Fixed y range; default: the data's finite range (see `percent`). */
  yDomain?: [number, number];
  /**
   * y is a fraction (accuracy): ticks read as percentages in the lab's number format, and the automatic range is the
   * app's (the data's range padded by 5 % of its span, rounded out to round ticks, kept inside [0, 1]), so a run at
   * 90–97 % fills the plot instead of sitting in its top tenth.
   */
  percent?: boolean;
  /** x is a count (iterations): ticks only at whole numbers. Default true. */
  integerX?: boolean;
}

/** Text inside the SVG: the report's one escaping function (html.ts). */
export const esc = escapeHtml;

/** The finite values' [min, max]; [0, 1] when there are none, widened by 0.5 each way when all are equal. */
function finiteExtent(values: Iterable<number>): [number, number] {
  const [lo, hi] = extent(values, (v) => (Number.isFinite(v) ? v : undefined));
  if (lo === undefined || hi === undefined) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/**
 * Wrap text into lines no wider than `maxWidth` px at `size` px (the rule of the app's figures, src-core/text-wrap.ts,
 * with widths estimated from the export font since the main process cannot measure text).
 */
export function wrap(text: string, maxWidth: number, size = 12): string[] {
  return wrapText(text, maxWidth, (s) => estimateTextWidth(s, size));
}

/** A tick value: integers comma-grouped ("2,000"), others as written ("0.25"). */
const tickText = (t: number) => (Number.isInteger(t) ? format(',d')(t) : String(t));

/** The y range of a fraction axis without a fixed domain: the app's automatic accuracy range (charts/axis-ticks.ts). */
export function percentDomain(values: Iterable<number>): [number, number] {
  const [lo, hi] = extent(values, (v) => (Number.isFinite(v) ? v : undefined));
  if (lo === undefined || hi === undefined) return [0, 1];
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 0.5;
  const inside = (d: number[]): [number, number] => [Math.max(0, d[0]), Math.min(1, d[1])];
  return inside(
    scaleLinear()
      .domain(inside([lo - pad, hi + pad]))
      .nice()
      .domain(),
  );
}

const finiteAt = (s: ChartSeries, i: number) =>
  i >= 0 && i < s.xs.length && Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i]);

/** Indices of a series' finite points whose neighbours are both missing or non-finite (no line reaches them). */
export function isolatedPoints(s: ChartSeries): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.xs.length; i++) if (finiteAt(s, i) && !finiteAt(s, i - 1) && !finiteAt(s, i + 1)) out.push(i);
  return out;
}

const hasSegment = (s: ChartSeries) =>
  Array.from({ length: s.xs.length }, (_, i) => i).some((i) => finiteAt(s, i) && finiteAt(s, i + 1));

export function lineChartSvg(spec: ChartSpec): string {
  const { width, height } = spec;
  const m = { top: 16, right: 16, bottom: 44, left: 60 };
  // One legend entry per row, its label wrapped to the figure's width; the caption wrapped the same way.
  const legendLines = spec.series.map((s) => wrap(s.label, width - m.left - 30 - 8));
  const legendH = legendLines.reduce((h, l) => h + 18 + (l.length - 1) * 15, 0) + 8;
  const captionLines = wrap(spec.caption, width - 24);
  const total = height + legendH + captionLines.length * 18 + 10;
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const values = spec.series.flatMap((s) => Array.from(s.ys));
  const ys = spec.yDomain ?? (spec.percent ? percentDomain(values) : finiteExtent(values));
  const yTickText = spec.percent ? fmtPctShort : tickText;
  const xScale = scaleLinear()
    .domain(finiteExtent(spec.series.flatMap((s) => Array.from(s.xs))))
    .range([m.left, m.left + iw]);
  const yScale = scaleLinear()
    .domain(ys)
    .range([m.top + ih, m.top])
    .clamp(true);
  const sx = xScale;
  const sy = yScale;
  const f = (v: number) => v.toFixed(2);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${esc(FIGURE_FONT)}" font-size="12" data-figure="${esc(spec.id)}" data-caption="${esc(spec.caption)}">`,
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${total}" fill="#ffffff"/>`);
  for (const t of xScale.ticks(6).filter((v) => spec.integerX === false || Number.isInteger(v))) {
    parts.push(
      `<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${m.top}" y2="${m.top + ih}" stroke="#e3e6eb" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${f(sx(t))}" y="${m.top + ih + 16}" text-anchor="middle" fill="#333333">${tickText(t)}</text>`,
    );
  }
  for (const t of yScale.ticks(5)) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + iw}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e3e6eb" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${m.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end" fill="#333333">${esc(yTickText(t))}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${iw}" height="${ih}" fill="none" stroke="#666666" stroke-width="1"/>`,
  );
  parts.push(
    `<text x="${m.left + iw / 2}" y="${height - 6}" text-anchor="middle" fill="#111111">${esc(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${m.top + ih / 2}) rotate(-90)" text-anchor="middle" fill="#111111">${esc(spec.yLabel)}</text>`,
  );
  for (const s of spec.series) {
    // A gap wherever a value is not finite (a diverged run's NaN / Infinity).
    const d = line<number>()
      .defined((i) => Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i]))
      .x((i) => sx(s.xs[i]))
      .y((i) => sy(s.ys[i]))
      .digits(2)(Array.from({ length: s.xs.length }, (_, i) => i));
    parts.push(
      `<path d="${d || 'M0,0'}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} data-series="${esc(s.label)}"/>`,
    );
    // A point with no finite neighbour draws no line: a dot shows it (a run with one evaluation, the last finite point
    // before a divergence).
    for (const i of isolatedPoints(s)) {
      parts.push(
        `<circle cx="${f(sx(s.xs[i]))}" cy="${f(sy(s.ys[i]))}" r="3.5" fill="${s.color}" data-point="${esc(s.label)}"/>`,
      );
    }
  }
  if (spec.series.every((s) => isolatedPoints(s).length === 0 && !hasSegment(s))) {
    parts.push(
      `<text x="${m.left + iw / 2}" y="${m.top + ih / 2}" text-anchor="middle" fill="#333333" data-empty="">no finite value to draw</text>`,
    );
  }
  let y = height + 4;
  spec.series.forEach((s, i) => {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + 24}" y1="${y + 6}" y2="${y + 6}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    legendLines[i].forEach((line, k) =>
      parts.push(`<text x="${m.left + 30}" y="${y + 10 + k * 15}" fill="#111111" data-legend="">${esc(line)}</text>`),
    );
    y += 18 + (legendLines[i].length - 1) * 15;
  });
  captionLines.forEach((line, i) => {
    parts.push(
      `<text x="${width / 2}" y="${height + legendH + 14 + i * 18}" text-anchor="middle" fill="#111111" font-style="italic" data-caption-line="">${esc(line)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
