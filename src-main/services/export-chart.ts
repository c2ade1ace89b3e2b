import { grouped } from '../../src-core/grouped';
import { estimateTextWidth, wrapText } from '../../src-core/text-wrap';
import { escapeHtml } from './html';

// A dependency-free SVG line chart for files the main process writes (the
// HTML report, the CLI): plain attributes, no CSS classes, no scripts, a
// font stack every viewer has, the legend and caption inside the figure.

export const FIGURE_FONT = "'DejaVu Sans', 'Helvetica Neue', Arial, Helvetica, sans-serif";
/** Okabe–Ito, as the app's --series-* tokens. */
export const SERIES_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

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
  /** Fixed y range (accuracy: [0, 1]); default: the data's finite range. */
  yDomain?: [number, number];
  /** x is a count (iterations): ticks only at whole numbers. Default true. */
  integerX?: boolean;
}

/** Round tick values covering [lo, hi], about `count` of them (the step rule of d3-array's ticks). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const err = raw / power;
  const step = (err >= 7.07 ? 10 : err >= 3.16 ? 5 : err >= 1.41 ? 2 : 1) * power;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(+(k * step).toPrecision(12));
  return out;
}

/** Text inside the SVG: the report's one escaping function (html.ts). */
export const esc = escapeHtml;

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo === Infinity) return [0, 1];
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

/** A tick value: integers comma-grouped ("2,000"), others as written. */
const tickText = (t: number) => (Number.isInteger(t) ? grouped(t) : String(t));

const finiteAt = (s: ChartSeries, i: number) => i >= 0 && i < s.xs.length && Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i]);

/** Indices of a series' finite points whose neighbours are both missing or non-finite (no line reaches them). */
export function isolatedPoints(s: ChartSeries): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.xs.length; i++) if (finiteAt(s, i) && !finiteAt(s, i - 1) && !finiteAt(s, i + 1)) out.push(i);
  return out;
}

const hasSegment = (s: ChartSeries) => Array.from({ length: s.xs.length }, (_, i) => i).some((i) => finiteAt(s, i) && finiteAt(s, i + 1));

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
  const xs = extent(spec.series.flatMap((s) => Array.from(s.xs)));
  const ys = spec.yDomain ?? extent(spec.series.flatMap((s) => Array.from(s.ys)));
  const sx = (x: number) => m.left + ((x - xs[0]) / (xs[1] - xs[0])) * iw;
  const sy = (y: number) => m.top + ih - ((Math.min(Math.max(y, ys[0]), ys[1]) - ys[0]) / (ys[1] - ys[0])) * ih;
  const f = (v: number) => v.toFixed(2);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${esc(FIGURE_FONT)}" font-size="12" data-figure="${esc(spec.id)}" data-caption="${esc(spec.caption)}">`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${total}" fill="#ffffff"/>`);
  for (const t of niceTicks(xs[0], xs[1], 6).filter((v) => spec.integerX === false || Number.isInteger(v))) {
    parts.push(`<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${m.top}" y2="${m.top + ih}" stroke="#e3e6eb" stroke-width="1"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${m.top + ih + 16}" text-anchor="middle" fill="#333333">${tickText(t)}</text>`);
  }
  for (const t of niceTicks(ys[0], ys[1], 5)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + iw}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e3e6eb" stroke-width="1"/>`);
    parts.push(`<text x="${m.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end" fill="#333333">${tickText(t)}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${iw}" height="${ih}" fill="none" stroke="#666666" stroke-width="1"/>`);
  parts.push(`<text x="${m.left + iw / 2}" y="${height - 6}" text-anchor="middle" fill="#111111">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${m.top + ih / 2}) rotate(-90)" text-anchor="middle" fill="#111111">${esc(spec.yLabel)}</text>`);
  for (const s of spec.series) {
    let d = '';
    let pen = false;
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i];
      const y = s.ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f(sx(x))},${f(sy(y))}`;
      pen = true;
    }
    parts.push(`<path d="${d || 'M0,0'}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} data-series="${esc(s.label)}"/>`);
    // A point with no finite neighbour draws no line: a dot shows it (a run with one evaluation, the last finite point
    // before a divergence).
    for (const i of isolatedPoints(s)) {
      parts.push(`<circle cx="${f(sx(s.xs[i]))}" cy="${f(sy(s.ys[i]))}" r="3.5" fill="${s.color}" data-point="${esc(s.label)}"/>`);
    }
  }
  if (spec.series.every((s) => isolatedPoints(s).length === 0 && !hasSegment(s))) {
    parts.push(`<text x="${m.left + iw / 2}" y="${m.top + ih / 2}" text-anchor="middle" fill="#333333" data-empty="">no finite value to draw</text>`);
  }
  let y = height + 4;
  spec.series.forEach((s, i) => {
    parts.push(`<line x1="${m.left}" x2="${m.left + 24}" y1="${y + 6}" y2="${y + 6}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    legendLines[i].forEach((line, k) => parts.push(`<text x="${m.left + 30}" y="${y + 10 + k * 15}" fill="#111111" data-legend="">${esc(line)}</text>`));
    y += 18 + (legendLines[i].length - 1) * 15;
  });
  captionLines.forEach((line, i) => {
    parts.push(`<text x="${width / 2}" y="${height + legendH + 14 + i * 18}" text-anchor="middle" fill="#111111" font-style="italic" data-caption-line="">${esc(line)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
